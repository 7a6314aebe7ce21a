/**
 * The only place an action reference comes from: a copy of the verified pin
 * table (tag, full commit SHA, declared inputs) so a fresh clone needs nothing
 * outside the project. Refresh by copying a newer verified table over action-pins.json.
 */
import table from "./action-pins.json";

export interface ActionInput {
  readonly required: boolean;
  readonly default?: string;
}

export interface ActionPin {
  readonly sha: string;
  readonly version: string;
  readonly runs: string;
  readonly inputs: Readonly<Record<string, ActionInput>>;
  readonly outputs: readonly string[];
}

export const pins: Readonly<Record<string, ActionPin>> = table;

export type ActionName = keyof typeof table;
export const actionNames = Object.keys(table) as ActionName[];

/** `owner/name@<sha>`; the tag goes in the comment the serializer writes after it. */
export function pinnedUses(action: ActionName): string {
  return `${action}@${pins[action]?.sha ?? ""}`;
}
