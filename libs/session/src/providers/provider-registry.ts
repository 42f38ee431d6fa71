import type { ClassConstructor } from 'class-transformer';
import type { TokenProvider } from '#libs/token-providers';
import { checkConfigSchema } from '../config/check-config-schema.js';
import type { ProviderBaseSchema, ProviderSettings } from '../config/provider-config.schema.js';

/** What a provider factory gets besides its shop's settings. */
export interface ProviderDeps {
  shopId: string;
}

/**
 * One provider type: the schema of its config block and how to build the provider for a
 * shop. `schema` is a class-validator class extending ProviderBaseSchema (so `type` and
 * `timeoutMs` are known keys); unknown keys are refused, as everywhere in the config.
 */
export interface ProviderDefinition<S extends ProviderBaseSchema = ProviderBaseSchema> {
  schema: ClassConstructor<S>;
  create(settings: S, deps: ProviderDeps): TokenProvider;
}

/**
 * Provider types by the `type` a shop's `provider` block names. The built-in ones
 * (built-in-providers.ts) are registered the same way an embedder registers its own.
 */
export class ProviderRegistry {
  private readonly definitions = new Map<string, ProviderDefinition>();

  register<S extends ProviderBaseSchema>(type: string, definition: ProviderDefinition<S>): this {
    if (this.definitions.has(type)) throw new Error(`provider type "${type}" is registered already`);
    this.definitions.set(type, definition as unknown as ProviderDefinition);
    return this;
  }

  types(): string[] {
    return [...this.definitions.keys()];
  }

  /** Checks a shop's provider block against the schema its `type` names; every problem is named by `field`. */
  check(field: string, plain: Record<string, unknown>): { settings: ProviderSettings | null; problems: string[] } {
    const definition = typeof plain.type === 'string' ? this.definitions.get(plain.type) : undefined;
    if (!definition) {
      return {
        settings: null,
        problems: [
          `${field}.type: type must be one of ${this.types()
            .map((t) => `"${t}"`)
            .join(', ')}`,
        ],
      };
    }
    const checked = checkConfigSchema<ProviderSettings>(definition.schema, plain, field);
    return { settings: checked.problems.length ? null : checked.value, problems: checked.problems };
  }

  create(settings: ProviderSettings, deps: ProviderDeps): TokenProvider {
    const definition = this.definitions.get(settings.type);
    if (!definition) throw new Error(`shop ${deps.shopId}: no provider type "${settings.type}" is registered`);
    return definition.create(settings, deps);
  }
}
