/**
 * @module parse/schema
 * The YAML schema Kubernetes effectively uses. kubectl and the apiserver read YAML through
 * sigs.k8s.io/yaml, which is go-yaml v2: YAML 1.1 scalars (`yes`/`on`/`y` are booleans, `0755`
 * is octal) but, unlike the YAML 1.1 spec,
 * - numbers as go-yaml v2 resolves them (go-yaml-numbers.ts): ints with strconv and floats with
 *   a plain decimal regexp, so `12:30` stays the string "12:30" (js-yaml's YAML 1.1 int would
 *   give 750) while `08` is 8 and `8e1` is 80 (js-yaml would keep both as strings);
 * - timestamps decoded into `interface{}` stay strings (go-yaml v2 resolve.go keeps them as
 *   strings "for backward compatibility"), so `creationTimestamp: 2024-01-01T00:00:00Z` is a string.
 */
import {
  defineScalarTag,
  floatYaml11Tag,
  intYaml11Tag,
  NOT_RESOLVED,
  Schema,
  timestampTag,
  YAML11_SCHEMA,
} from 'js-yaml'
import type { ScalarTagDefinition } from 'js-yaml'
import { goYamlFloat, goYamlInt } from './go-yaml-numbers.ts'

/**
 * A YAML 1.1 number tag whose *implicit* resolution is go-yaml v2's (go-yaml-numbers.ts): no
 * sexagesimal forms (`1:20`, `190:20:30.15` stay strings), Go's base prefixes in either case,
 * `0800` / `8e1` as floats. Explicitly tagged scalars (`!!int 10`) keep js-yaml's rules.
 */
function goYamlNumberTag(tag: ScalarTagDefinition<number>, implicit: (source: string) => number | undefined): ScalarTagDefinition<number> {
  return defineScalarTag<number>(tag.tagName, {
    implicit: tag.implicit,
    matchByTagPrefix: tag.matchByTagPrefix,
    // go-yaml's resolveTable: only '+', '-', '.' and digits can start a number.
    implicitFirstChars: [...'+-.0123456789'],
    resolve: (source, isExplicit, tagName) => {
      if (isExplicit) return source.includes(':') ? NOT_RESOLVED : tag.resolve(source, isExplicit, tagName)
      return implicit(source) ?? NOT_RESOLVED
    },
    identify: tag.identify,
    represent: tag.represent,
    representTagName: tag.representTagName,
  })
}

/** `!!timestamp` still accepted when written explicitly, but kept as the string written. */
const timestampAsString = defineScalarTag<string>(timestampTag.tagName, {
  implicit: false,
  resolve: (source) => source,
  identify: () => false,
})

/** YAML 1.1 as go-yaml v2 reads it (see module comment). Merge keys (`<<`) are supported, as in go-yaml. */
export const K8S_YAML_SCHEMA: Schema = new Schema(
  YAML11_SCHEMA.tags.filter((t) => t.tagName !== timestampTag.tagName),
).withTags(goYamlNumberTag(intYaml11Tag, goYamlInt), goYamlNumberTag(floatYaml11Tag, goYamlFloat), timestampAsString)
