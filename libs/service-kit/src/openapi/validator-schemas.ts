import { ApiProperty, type ApiPropertyOptions } from '@nestjs/swagger';
import { getMetadataStorage } from 'class-validator';
import type { MetadataStorage } from 'class-transformer/types/MetadataStorage';

// class-transformer's registry of @Type() targets, which its package does not export.
const { defaultMetadataStorage } = require('class-transformer/cjs/storage') as {
  defaultMetadataStorage: MetadataStorage;
};

// The OpenAPI schema of a request DTO is read from its class-validator rules, so the
// document can never promise less or more than the validation pipe enforces: a limit
// changed in a DTO changes the document with it.

interface ValidationMeta {
  type: string;
  name?: string;
  target: object;
  propertyName: string;
  constraints?: unknown[];
  each?: boolean;
  constraintCls?: unknown;
}

type Schema = Record<string, unknown>;

// What each class-validator rule says about a value; `each` rules apply to array items.
// A rule missing here narrows nothing in the document (add it when a DTO starts using it).
const RULES: Record<string, (c: unknown[]) => Schema> = {
  isString: () => ({ type: 'string' }),
  isInt: () => ({ type: 'integer' }),
  isNumber: () => ({ type: 'number' }),
  isBoolean: () => ({ type: 'boolean' }),
  isObject: () => ({ type: 'object' }),
  isArray: () => ({ type: 'array' }),
  isUuid: () => ({ type: 'string', format: 'uuid' }),
  isIso8601: () => ({ type: 'string', format: 'date-time' }),
  isDateString: () => ({ type: 'string', format: 'date-time' }),
  isRfc3339DateTime: () => ({ type: 'string', format: 'date-time' }),
  isUrl: () => ({ type: 'string', format: 'uri' }),
  min: ([n]) => ({ minimum: n }),
  max: ([n]) => ({ maximum: n }),
  isPositive: () => ({ minimum: 0, exclusiveMinimum: true }),
  minLength: ([n]) => ({ type: 'string', minLength: n }),
  maxLength: ([n]) => ({ type: 'string', maxLength: n }),
  isLength: ([min, max]) => ({
    type: 'string',
    minLength: min,
    ...(max === undefined ? {} : { maxLength: max }),
  }),
  matches: ([pattern]) => ({ type: 'string', pattern: (pattern as RegExp).source }),
  isIn: ([values]) => ({ enum: values }),
  isEnum: ([entity]) => ({ enum: Object.values(entity as object) }),
  arrayMinSize: ([n]) => ({ minItems: n }),
  arrayMaxSize: ([n]) => ({ maxItems: n }),
};

// Schemas of a service's own validators (@Validate with a named constraint, or a
// registerDecorator), by the name class-validator records for them. A service registers
// one next to the constraint, so its document says what the constraint checks.
const CUSTOM_RULES = new Map<string, Schema>();

export function describeValidator(name: string, schema: Schema): void {
  CUSTOM_RULES.set(name, schema);
}

interface PropertyRules {
  schema: Schema;
  items: Schema;
  optional: boolean;
  nested: boolean;
}

function rulesByProperty(target: new (...args: never[]) => unknown): Map<string, PropertyRules> {
  const storage = getMetadataStorage();
  const metas = storage.getTargetValidationMetadatas(
    target,
    '',
    true,
    false,
  ) as unknown as ValidationMeta[];
  const byProperty = new Map<string, PropertyRules>();
  for (const meta of metas) {
    const rules = byProperty.get(meta.propertyName) ?? {
      schema: {},
      items: {},
      optional: false,
      nested: false,
    };
    byProperty.set(meta.propertyName, rules);
    if (meta.type === 'conditionalValidation' && meta.name === 'isOptional') rules.optional = true;
    if (meta.type === 'nestedValidation') rules.nested = true;
    const rule = meta.name === undefined ? undefined : RULES[meta.name];
    if (meta.type === 'customValidation' && rule) {
      Object.assign(meta.each ? rules.items : rules.schema, rule(meta.constraints ?? []));
    }
    // @Validate(Constraint) records its constraint class, named by @ValidatorConstraint.
    const custom = CUSTOM_RULES.get(meta.name ?? constraintName(meta.constraintCls) ?? '');
    if (custom) Object.assign(rules.schema, custom);
  }
  return byProperty;
}

function constraintName(constraintCls: unknown): string | undefined {
  if (typeof constraintCls !== 'function') return undefined;
  const constraints = getMetadataStorage().getTargetValidatorConstraints(constraintCls);
  return constraints[0]?.name;
}

const described = new WeakSet<object>();

// Gives every property of a validated class (and of the classes nested in it) an
// @ApiProperty derived from its rules, so Nest's document generator sees the same shape
// the validation pipe checks. Properties that already carry @ApiProperty keep it.
export function describeValidatedClass(target: new (...args: never[]) => unknown): void {
  if (described.has(target)) return;
  described.add(target);
  const declared = (Reflect.getMetadata('swagger/apiModelPropertiesArray', target.prototype) ??
    []) as string[];
  for (const [property, rules] of rulesByProperty(target)) {
    if (declared.includes(`:${property}`)) continue;
    const options: Schema = { ...rules.schema, required: !rules.optional };
    const nestedType = rules.nested
      ? defaultMetadataStorage.findTypeMetadata(target, property)?.typeFunction()
      : undefined;
    if (nestedType) {
      describeValidatedClass(nestedType as new () => unknown);
      options['type'] = nestedType;
      if (rules.schema['type'] === 'array') options['isArray'] = true;
    } else if (rules.schema['type'] === 'array' || Object.keys(rules.items).length > 0) {
      options['type'] = 'array';
      // Items with no rule of their own may be anything.
      options['items'] = { ...(rules.schema['items'] as Schema | undefined), ...rules.items };
    }
    ApiProperty(options as ApiPropertyOptions)(target.prototype as object, property);
  }
}

// Every class that class-validator holds rules for in this process: the DTOs of the
// controllers that were loaded.
function validatedClasses(): Array<new () => unknown> {
  const storage = getMetadataStorage() as unknown as {
    validationMetadatas: Map<new () => unknown, unknown[]>;
  };
  return [...storage.validationMetadatas.keys()];
}

export function describeAllValidatedClasses(): void {
  for (const target of validatedClasses()) describeValidatedClass(target);
}

export function validatedClassNames(): Set<string> {
  return new Set(validatedClasses().map((target) => target.name));
}
