/** Messages about sealed data (§5) shown in views other than `export`: masked numbers in free text, sealed notes. */
import type { Entry } from './entry.js';

export const sealedMessages = {
  'sealed.placeholder': { en: '(sealed)', zh: '（已封存）' },
  'sealed.show.masked': {
    en: 'personal data masked (phone, address, phone and ID numbers in notes; health and follow-up notes omitted); for full data add --reveal --approved-by GM --reason TEXT (audited)',
    zh: '个人信息已脱敏（电话、地址、备注中的电话和身份证号；不含健康状况和回访记录内容）；如需完整数据请加 --reveal --approved-by 总经理 --reason 原因（记入审计日志）',
  },
  'sealed.list.audited': {
    en: 'customers list as {format} is an export of personal data: written to the audit log (phones and addresses masked, health omitted)',
    zh: '以 {format} 输出顾客列表属于个人信息导出，已记入审计日志（电话、地址已脱敏，不含健康状况）',
  },
} satisfies Record<string, Entry>;
