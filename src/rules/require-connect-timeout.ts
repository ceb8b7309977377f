import { createRule } from '../util/create-rule.js';
import { getFileAnalysis, getFunctionTimeout, isLambdaFile } from '../core/analysis.js';
import { planConnectTimeout } from '../core/fix/connect-timeout.js';
import { asFix, recordOutcome, type PlanOutcome } from '../core/fix/plan.js';
import {
  configuredByMethods,
  connectWaitsOf,
  getConnectionConfigs,
  mayConfigureConnections,
  ReportedLocations,
  waitSeconds,
  type ResolvedConfig,
  type WaitReading,
  type WaitValue,
} from '../core/config/index.js';
import type { TSESTree } from '@typescript-eslint/types';

export type Options = [{ maxSeconds?: number }];
export type MessageIds = 'noConnectTimeout' | 'unboundedTimeout' | 'timeoutTooLong' | 'defaultTooLong' | 'suggestConnectTimeout';

const RULE = 'require-connect-timeout';

/** The longest wait a suggestion proposes, in seconds (domain notes §6.2: a few seconds). */
const SUGGESTED_MAX_SECONDS = 5;

const NO_SUGGESTION: PlanOutcome = {
  ok: false,
  reason: 'the function timeout is too short for a shorter wait in whole seconds',
};

export default createRule<Options, MessageIds>({
  name: RULE,
  meta: {
    type: 'problem',
    defaultOptions: [{ maxSeconds: 10 }],
    docs: {
      description: 'Require a connect timeout shorter than the Lambda function timeout, so that a saturated proxy fails fast',
      recommended: true,
    },
    hasSuggestions: true,
    schema: [
      {
        type: 'object',
        properties: {
          maxSeconds: {
            type: 'number',
            minimum: 1,
            description:
              'The longest connect or acquire timeout allowed, in seconds, where no deployment descriptor gives the function timeout. Where one does, the timeout must be shorter than the function timeout.',
          },
        },
        additionalProperties: false,
      },
    ],
    messages: {
      noConnectTimeout: '{{driver}} waits {{for}} with no time limit; set `{{key}}` below the function timeout.',
      unboundedTimeout: '`{{key}}: {{value}}` lets {{driver}} wait {{for}} with no time limit; set it to a few seconds.',
      timeoutTooLong: '{{driver}} may wait {{wait}} {{for}} (`{{key}}`), {{limit}}; lower it to {{suggested}}.',
      defaultTooLong: '{{driver}} waits {{wait}} {{for}} by default, {{limit}}; set `{{key}}` to {{suggested}}.',
      suggestConnectTimeout: 'Set `{{key}}` to {{value}}.',
    },
  },
  create(context, [options]) {
    const maxSeconds = options.maxSeconds ?? 10;
    const sourceCode = context.sourceCode;
    if (!mayConfigureConnections(context)) return {};
    const analysis = getFileAnalysis(context);
    if (analysis && !analysis.isLambda) return {};
    const files = getConnectionConfigs(context);
    if (!files || !isLambdaFile(context)) return {};
    const { resolver } = files;
    const reported = new ReportedLocations();
    const unsetReported = new Set<string>();
    const functionTimeout = getFunctionTimeout(context)?.timeout;

    /** Whether a wait of `seconds` is too long: not below the function timeout, else above `maxSeconds`. */
    const tooLong = (seconds: number): boolean =>
      functionTimeout !== undefined ? seconds >= functionTimeout : seconds > maxSeconds;
    const limit =
      functionTimeout !== undefined ? `not below the ${seconds(functionTimeout)} function timeout` : `more than ${seconds(maxSeconds)}`;
    /** The wait a suggestion proposes, in seconds: a few, and below the function timeout. */
    const suggestedSeconds = Math.min(
      SUGGESTED_MAX_SECONDS,
      maxSeconds,
      functionTimeout !== undefined ? Math.max(functionTimeout / 2, 0.5) : Infinity,
    );

    function report(
      config: ResolvedConfig,
      reading: WaitReading,
      target: WaitValue | undefined,
      messageId: Exclude<MessageIds, 'suggestConnectTimeout'>,
      wait: number | undefined,
    ): void {
      const node: TSESTree.Node = target?.node ?? config.site.node;
      // A value reached from several configs is reported once; an unset setting once per call and setting.
      if (target ? !reported.add(node, target.range) : !unsetReported.add(`${node.range[0]}:${reading.name}`)) return;
      const suggested = suggestedValue(reading, suggestedSeconds);
      const outcome =
        suggested === undefined ? NO_SUGGESTION : planConnectTimeout(context, config, reading, target, suggested);
      const start = target?.range?.[0] ?? node.range[0];
      recordOutcome(sourceCode, RULE, start, outcome);
      const loc = target?.range
        ? { start: sourceCode.getLocFromIndex(target.range[0]), end: sourceCode.getLocFromIndex(target.range[1]) }
        : node.loc;
      const value = suggested === undefined ? '' : valueText(reading, suggested);
      context.report({
        loc,
        messageId,
        data: {
          driver: config.site.label,
          key: target?.key ?? reading.name,
          value: target?.text ?? '',
          for: reading.wait.waitsFor === 'acquire' ? 'for a pooled connection' : 'to connect',
          wait: wait === undefined ? '' : seconds(wait),
          limit,
          suggested: suggested === undefined ? 'a few seconds' : seconds(waitSeconds(reading.wait, suggested)),
        },
        suggest: outcome.ok
          ? [{ messageId: 'suggestConnectTimeout', data: { key: target?.key ?? reading.name, value }, fix: asFix(outcome.plan) }]
          : [],
      });
    }

    // Instances that a later call configures (serverless-mysql `mysql.config()`, a pool cluster's `add()`): their
    // creating call's config is not the one they connect with, and the later call is checked instead.
    const configuredLater = new Set(files.configs.map((c) => c.site.configures).filter((i) => i !== undefined));

    function checkConfig(config: ResolvedConfig): void {
      if (!createsConnections(config)) return;
      const instance = config.site.instance;
      const configuredElsewhere =
        instance !== undefined && (configuredLater.has(instance) || configuredByMethods(instance.driver.id, instance.creator.path));
      for (const reading of connectWaitsOf(config, resolver)) {
        const { wait } = reading;
        for (const value of reading.values) {
          if (value.unbounded) {
            report(config, reading, value, 'unboundedTimeout', undefined);
          } else if (value.value > 0 && tooLong(value.seconds)) {
            report(config, reading, value, 'timeoutTooLong', value.seconds);
          }
        }
        if (!reading.unset || configuredElsewhere) continue;
        if (wait.default === null) report(config, reading, undefined, 'noConnectTimeout', undefined);
        else if (tooLong(waitSeconds(wait, wait.default))) {
          report(config, reading, undefined, 'defaultTooLong', waitSeconds(wait, wait.default));
        }
      }
    }

    return {
      'Program:exit'() {
        for (const config of files.configs) checkConfig(config);
      },
    };
  },
});

/** Whether the call makes connections: a creating call of the catalogue, or a call that opens a pool from a config. */
function createsConnections(config: ResolvedConfig): boolean {
  const creator = config.site.instance?.creator;
  if (!creator) return config.site.kind === 'config-call';
  // drizzle wraps the client or pool it is given; it only creates one from `connection` settings.
  if (creator.opensWhen === 'firstArgConfig') return config.uris.length > 0 || config.lookup('connection').length > 0;
  return true;
}

/** The suggested value in the setting's unit; undefined when whole seconds cannot go below the function timeout. */
function suggestedValue(reading: WaitReading, seconds: number): number | undefined {
  if (reading.wait.unit === 'ms') return Math.max(Math.floor((seconds * 1000) / 500) * 500, 500);
  const whole = Math.floor(seconds);
  return whole >= 1 ? whole : undefined;
}

function valueText(reading: WaitReading, value: number): string {
  return reading.wait.unit === 'ms' ? `${value} (${seconds(value / 1000)})` : `${value} (seconds)`;
}

/** `30` → `30 s`, `2.5` → `2.5 s`. */
function seconds(value: number): string {
  return `${Number(value.toFixed(3))} s`;
}
