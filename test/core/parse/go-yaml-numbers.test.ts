/** go-yaml v2 (sigs.k8s.io/yaml) plain-scalar number resolution, case by case against resolve.go. */
import { describe, expect, it } from 'vitest'
import { goParseIntBase0, goYamlFloat, goYamlInt } from '../../../src/core/parse/go-yaml-numbers.ts'

describe('goParseIntBase0 (strconv.ParseInt/ParseUint, base 0)', () => {
  it('handles prefixes, octal, signs and the int64/uint64 limits', () => {
    expect(goParseIntBase0('0')).toBe(0n)
    expect(goParseIntBase0('0755')).toBe(493n)
    expect(goParseIntBase0('0o755')).toBe(493n)
    expect(goParseIntBase0('0O755')).toBe(493n)
    expect(goParseIntBase0('0x1F')).toBe(31n)
    expect(goParseIntBase0('-0b11')).toBe(-3n)
    expect(goParseIntBase0('+80')).toBe(80n)
    expect(goParseIntBase0('0800')).toBeUndefined()
    expect(goParseIntBase0('0x')).toBeUndefined()
    expect(goParseIntBase0('-')).toBeUndefined()
    expect(goParseIntBase0('18446744073709551615')).toBe(2n ** 64n - 1n)
    expect(goParseIntBase0('+18446744073709551615')).toBeUndefined()
    expect(goParseIntBase0('18446744073709551616')).toBeUndefined()
    expect(goParseIntBase0('-9223372036854775808')).toBe(-(2n ** 63n))
    expect(goParseIntBase0('-9223372036854775809')).toBeUndefined()
  })
})

describe('goYamlInt / goYamlFloat', () => {
  it('ints: underscores dropped, only +, - and digits start one', () => {
    expect(goYamlInt('1_000')).toBe(1000)
    expect(goYamlInt('0x_50')).toBe(80)
    expect(goYamlInt('08')).toBeUndefined()
    expect(goYamlInt('1:20')).toBeUndefined()
    expect(goYamlInt('x1')).toBeUndefined()
  })
  it('floats: the yamlStyleFloat regexp, leading-dot ParseFloat, the .inf/.nan map; overflow stays a string', () => {
    expect(goYamlFloat('0800')).toBe(800)
    expect(goYamlFloat('8e1')).toBe(80)
    expect(goYamlFloat('1.e5')).toBe(100000)
    expect(goYamlFloat('-1.5e3')).toBe(-1500)
    expect(goYamlFloat('.5')).toBe(0.5)
    expect(goYamlFloat('._5')).toBeUndefined()
    expect(goYamlFloat('-.Inf')).toBe(Number.NEGATIVE_INFINITY)
    expect(goYamlFloat('.NaN')).toBeNaN()
    expect(goYamlFloat('1e400')).toBeUndefined()
    expect(goYamlFloat('12:30')).toBeUndefined()
    expect(goYamlFloat('2001-12-14')).toBeUndefined()
    expect(goYamlFloat('0x1p4')).toBeUndefined()
  })
})
