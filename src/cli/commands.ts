import { AppConfig } from '../config/config';

export type CliOptions = Record<string, string | boolean | undefined>;

export function runCliCommand(
  _config: AppConfig,
  command: string,
  _args: string[],
  _options: CliOptions,
): Promise<number> {
  throw new Error(`Unknown command ${command}`);
}
