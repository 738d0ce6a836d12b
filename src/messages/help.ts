/**
 * Messages of the command line itself (issue 15): the words commander prints in its help
 * and its usage errors, and the key hints of the prompts. Each English text is commander's
 * (or inquirer's) own, word for word, so that English output reads as it always did
 * (test/unit/usage.test.ts compares them).
 */
import type { Entry } from './entry.js';

export const helpMessages = {
  // headings of a help page
  'cli.help.usage': { en: 'Usage:', zh: '用法：' },
  'cli.help.arguments': { en: 'Arguments:', zh: '参数：' },
  'cli.help.options': { en: 'Options:', zh: '选项：' },
  'cli.help.global_options': { en: 'Global Options:', zh: '全局选项：' },
  'cli.help.commands': { en: 'Commands:', zh: '命令：' },
  // the placeholders of a usage line: `salesops staff add [options]`
  'cli.help.options_word': { en: '[options]', zh: '[选项]' },
  'cli.help.command_word': { en: '[command]', zh: '[命令]' },
  'cli.help.help_option': { en: 'display help for command', zh: '显示本命令的帮助' },
  'cli.help.help_command': { en: 'display help for command', zh: '显示某个命令的帮助' },
  'cli.help.version_option': { en: 'output the version number', zh: '显示版本号' },
  // what an option's description adds: `--db <path>  … (env: SALESOPS_DB)`
  'cli.help.extra': { en: '{description} ({extras})', zh: '{description}（{extras}）' },
  'cli.help.choices': { en: 'choices: {choices}', zh: '可选：{choices}' },
  'cli.help.default': { en: 'default: {value}', zh: '默认：{value}' },
  'cli.help.preset': { en: 'preset: {value}', zh: '不带取值时为 {value}' },
  'cli.help.env': { en: 'env: {name}', zh: '环境变量 {name}' },

  // usage errors (exit 2), after `error: ` / `错误：`
  'cli.usage.unknown_command': { en: "unknown command '{name}'", zh: '没有 {name} 这个命令' },
  'cli.usage.unknown_option': { en: "unknown option '{flag}'", zh: '没有 {flag} 这个选项' },
  'cli.usage.missing_argument': { en: "missing required argument '{name}'", zh: '缺少参数 {name}' },
  'cli.usage.option_missing_argument': { en: "option '{flags}' argument missing", zh: '选项 {flags} 后面缺少取值' },
  'cli.usage.missing_mandatory_option': { en: "required option '{flags}' not specified", zh: '必须提供选项 {flags}' },
  'cli.usage.excess_arguments.none': { en: "too many arguments for '{name}'. Expected 0 arguments but got {got}.", zh: '参数太多：{command} 不接受参数，实际给了 {got} 个' },
  'cli.usage.excess_arguments.one': { en: "too many arguments for '{name}'. Expected 1 argument but got {got}.", zh: '参数太多：{command} 只接受 1 个参数，实际给了 {got} 个' },
  'cli.usage.excess_arguments.other': { en: "too many arguments for '{name}'. Expected {expected} arguments but got {got}.", zh: '参数太多：{command} 只接受 {expected} 个参数，实际给了 {got} 个' },
  'cli.usage.invalid_option_value': { en: "option '{flags}' argument '{value}' is invalid. {reason}", zh: '选项 {flags} 的取值 {value} 无效：{reason}' },
  'cli.usage.invalid_argument_value': { en: "command-argument value '{value}' is invalid for argument '{name}'. {reason}", zh: '参数 {name} 的取值 {value} 无效：{reason}' },
  'cli.usage.allowed_choices': { en: 'Allowed choices are {choices}.', zh: '可选值为 {choices}' },
  'cli.usage.did_you_mean': { en: '(Did you mean {names}?)', zh: '（是不是要输入 {names}？）' },
  'cli.usage.did_you_mean_one_of': { en: '(Did you mean one of {names}?)', zh: '（是不是要输入以下之一：{names}？）' },

  // the key hints under a list to choose from (inquirer's select)
  'prompt.key.navigate': { en: 'navigate', zh: '上下移动' },
  'prompt.key.select': { en: 'select', zh: '确定' },
} satisfies Record<string, Entry>;
