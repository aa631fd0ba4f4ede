import { z } from 'zod';
import type { DegradedField } from '../../canonical/degraded-field.ts';

/** One control a bot declares for a custom parameter, flattened out of sections, tabs and conditions. */
export interface PoeParameterControl {
  parameter: string;
  control: string;
  label?: string;
  /** Drop-down values (`value`, `name`) and aspect ratios (`value`, `width`, `height`). */
  options: { value: string; name?: string; width?: number; height?: number }[];
}

const optionSchema = z.looseObject({ value: z.string().nullish(), name: z.string().nullish(), width: z.number().nullish(), height: z.number().nullish() });
const controlSchema = z.looseObject({
  control: z.string(),
  parameter_name: z.string().nullish(),
  label: z.string().nullish(),
  options: z.array(optionSchema).nullish(),
  controls: z.array(z.unknown()).nullish(),
});
const settingsSchema = z.looseObject({
  parameter_controls: z
    .looseObject({
      sections: z.array(z.looseObject({ controls: z.array(z.unknown()).nullish(), tabs: z.array(z.looseObject({ controls: z.array(z.unknown()).nullish() })).nullish() })),
    })
    .nullish(),
});

/**
 * The parameter controls in a bot's `SettingsResponse` (github:poe-platform/fastapi_poe
 * src/fastapi_poe/types.py `ParameterControls`: sections → controls or tabs → controls, a
 * `condition` control wrapping more): `drop_down`, `toggle_switch`, `slider`, `text_field`,
 * `text_area` and `aspect_ratio`, each naming its `parameter_name`. Undefined when the bot
 * declares none.
 */
export function readPoeParameterControls(settings: unknown): PoeParameterControl[] | undefined {
  const parsed = settingsSchema.safeParse(settings);
  if (!parsed.success || parsed.data.parameter_controls == null) return undefined;
  const found: PoeParameterControl[] = [];
  const visit = (items: readonly unknown[] | null | undefined): void => {
    for (const item of items ?? []) {
      const control = controlSchema.safeParse(item);
      if (!control.success) continue;
      if (control.data.control === 'condition') visit(control.data.controls);
      if (control.data.parameter_name == null) continue;
      const entry: PoeParameterControl = { parameter: control.data.parameter_name, control: control.data.control, options: [] };
      if (control.data.label != null) entry.label = control.data.label;
      for (const option of control.data.options ?? []) {
        const value = option.value ?? (option.width != null && option.height != null ? `${option.width}:${option.height}` : undefined);
        if (value === undefined) continue;
        entry.options.push({ value, ...(option.name == null ? {} : { name: option.name }), ...(option.width == null ? {} : { width: option.width }), ...(option.height == null ? {} : { height: option.height }) });
      }
      found.push(entry);
    }
  };
  for (const section of parsed.data.parameter_controls.sections) {
    visit(section.controls);
    for (const tab of section.tabs ?? []) visit(tab.controls);
  }
  return found;
}

/**
 * Custom parameters fitted to what the bot declares: the aspect ratio goes to the bot's
 * `aspect_ratio` control under its own parameter name, as the listed option nearest to the
 * asked ratio; a value for a drop-down becomes the option it names (by value or label); a
 * parameter the bot declares no control for is not sent and is declared in `degraded`. With no
 * declared controls, everything is sent as given.
 */
export function fitPoeParameters(parameters: Record<string, unknown>, controls: readonly PoeParameterControl[] | undefined, degraded: DegradedField[]): Record<string, unknown> {
  if (controls === undefined) return parameters;
  const fitted: Record<string, unknown> = {};
  for (const [name, value] of Object.entries(parameters)) {
    if (name === 'aspect') {
      const control = controls.find((entry) => entry.control === 'aspect_ratio') ?? controls.find((entry) => entry.parameter === 'aspect');
      const option = control === undefined ? undefined : nearestRatio(String(value), control.options);
      if (control !== undefined && (option !== undefined || control.options.length === 0)) {
        fitted[control.parameter] = option?.value ?? value;
        continue;
      }
    } else {
      const control = controls.find((entry) => entry.parameter === name || entry.label?.toLowerCase() === name.toLowerCase());
      if (control !== undefined && control.options.length === 0) {
        fitted[control.parameter] = value;
        continue;
      }
      const wanted = String(value).toLowerCase();
      const option = control?.options.find((entry) => entry.value.toLowerCase() === wanted || entry.name?.toLowerCase() === wanted);
      if (control !== undefined && option !== undefined) {
        fitted[control.parameter] = option.value;
        continue;
      }
    }
    degraded.push({ field: name, reason: `${JSON.stringify(value)} not sent: the bot declares no control that takes it` });
  }
  return fitted;
}

function nearestRatio(wanted: string, options: PoeParameterControl['options']): PoeParameterControl['options'][number] | undefined {
  const ratio = (text: string): number | undefined => {
    const [width, height] = text.split(':').map(Number);
    return width !== undefined && height !== undefined && width > 0 && height > 0 ? width / height : undefined;
  };
  const target = ratio(wanted);
  if (target === undefined) return options.find((option) => option.value === wanted);
  let best: PoeParameterControl['options'][number] | undefined;
  let bestDistance = Number.POSITIVE_INFINITY;
  for (const option of options) {
    const value = option.width !== undefined && option.height !== undefined ? option.width / option.height : ratio(option.value);
    if (value === undefined) continue;
    const distance = Math.abs(Math.log(value / target));
    if (distance < bestDistance) {
      best = option;
      bestDistance = distance;
    }
  }
  return best;
}
