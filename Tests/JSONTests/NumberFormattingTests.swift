import Testing
@testable import JSON

@Suite("Formatting numbers")
struct NumberFormattingTests {
    @Test("Rounded numbers round half away from zero and print without noise", arguments: [
        (0.66666, 4, "0.6667"),
        (1.0, 2, "1"),
        (0.5, 2, "0.5"),
        (0.1 + 0.2, 4, "0.3"),
        (-0.0, 2, "0"),
        (-0.00001, 2, "0"),
        (-0.004, 2, "0"),
        (2.5, 0, "3"),
        (-2.5, 0, "-3"),
        (0.5, 0, "1"),
        (0.125, 2, "0.13"),
        (-0.125, 2, "-0.13"),
        (2.675, 2, "2.68"),
        (1.005, 2, "1.01"),
        (9.9999, 2, "10"),
        (0.99995, 4, "1"),
        (99.5, 0, "100"),
        (0.0001, 4, "0.0001"),
        (0.00005, 4, "0.0001"),
        (0.00004, 4, "0"),
        (0.000012345, 6, "0.000012"),
        (1e-7, 10, "0.0000001"),
        (1234.5, 0, "1235"),
        (123456789012.345, 2, "123456789012.35"),
        (999999999999999.0, 0, "999999999999999"),
        (100.0, 3, "100"),
        (12.3400, 4, "12.34"),
        (3.7, -1, "4"),
        (1e20, 2, "1e+20"),
        (-1.5e300, 1, "-1.5e+300"),
    ] as [(Double, Int, String)])
    func roundedNumbers(value: Double, decimals: Int, text: String) {
        #expect(JSONValue.number(rounded: value, decimals: decimals) == .number(text))
    }

    @Test("Non-finite values become null, never nan or inf", arguments: [Double.nan, .infinity, -.infinity])
    func nonFiniteIsNull(value: Double) {
        #expect(JSONValue.number(rounded: value, decimals: 2) == .null)
        #expect(JSONValue.double(value) == .null)
        #expect(JSON.serializeToString([.double(value)]) == "[null]")
    }

    @Test("Doubles print as their shortest round-trip text", arguments: [
        (1.0, "1"),
        (0.1, "0.1"),
        (0.1 + 0.2, "0.30000000000000004"),
        (-2.5, "-2.5"),
        (123456.789, "123456.789"),
        (0.0001, "0.0001"),
        (1e-5, "1e-5"),
        (1.5e-7, "1.5e-7"),
        (999999999999999.0, "999999999999999"),
        (1e15, "1e+15"),
        (1e16, "1e+16"),
        (-0.0, "-0"),
        (0.0, "0"),
        (Double.leastNonzeroMagnitude, "5e-324"),
        (Double.greatestFiniteMagnitude, "1.7976931348623157e+308"),
    ] as [(Double, String)])
    func shortestDoubles(value: Double, text: String) {
        #expect(JSONValue.double(value) == .number(text))
        #expect(Double(text) == value)
    }

    @Test("Integers print exactly", arguments: [
        (JSONValue.int(0), "0"),
        (.int(-42), "-42"),
        (.int(Int64.max), "9223372036854775807"),
        (.int(Int64.min), "-9223372036854775808"),
        (.int(UInt64.max), "18446744073709551615"),
        (.int(UInt8(7)), "7"),
    ])
    func integers(value: JSONValue, text: String) {
        #expect(value == .number(text))
    }

    @Test("int64Value reads plain integers only", arguments: [
        ("1", 1 as Int64?),
        ("-0", 0),
        ("-17", -17),
        ("9223372036854775807", Int64.max),
        ("-9223372036854775808", Int64.min),
        ("9223372036854775808", nil),
        ("1.0", nil),
        ("1e2", nil),
        ("+1", nil),
        ("", nil),
        ("-", nil),
    ])
    func int64Value(text: String, expected: Int64?) {
        #expect(JSONValue.number(text).int64Value == expected)
    }

    @Test("doubleValue reads any valid number in range", arguments: [
        ("-12.5e3", -12500.0 as Double?),
        ("1", 1),
        ("0.1", 0.1),
        ("1E-2", 0.01),
        ("1e400", nil),
        ("-1e400", nil),
        ("nan", nil),
        ("inf", nil),
        ("0x10", nil),
    ])
    func doubleValue(text: String, expected: Double?) {
        #expect(JSONValue.number(text).doubleValue == expected)
    }

    @Test("Number text that is not valid JSON is written as null", arguments: ["NaN", "inf", "01", "+1", "1.", "", "1 2"])
    func invalidNumberTextIsNull(text: String) {
        #expect(JSON.serializeToString(.number(text)) == "null")
    }

    @Test("Non-numbers have no numeric value")
    func nonNumbers() {
        #expect(JSONValue.string("1").int64Value == nil)
        #expect(JSONValue.bool(true).doubleValue == nil)
    }
}
