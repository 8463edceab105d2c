import ChatctlJSON
import Testing
@testable import ChatctlCore

@Suite struct YAMLScalarResolverTests {
    @Test(arguments: [
        ("", JSONValue.null), ("~", .null), ("null", .null), ("NULL", .null),
        ("true", .bool(true)), ("False", .bool(false)),
        ("no", .string("no")), ("yes", .string("yes")), ("on", .string("on")), ("y", .string("y")),
        ("42", .integer(42)), ("-7", .integer(-7)), ("+3", .integer(3)), ("0o17", .integer(15)), ("0x1F", .integer(31)),
        ("1.5", .double(1.5)), ("1e3", .double(1000)), (".5", .double(0.5)), ("-.inf", .double(-.infinity)),
        ("08", .integer(8)), ("1_000", .string("1_000")), ("0x", .string("0x")), ("1.2.3", .string("1.2.3")),
        ("25h", .string("25h")), ("12345678-1234-1234-1234-123456789012", .string("12345678-1234-1234-1234-123456789012")),
        ("99999999999999999999", .double(1e20)), ("inf", .string("inf")), ("nan", .string("nan")),
        // Words near the core schema's, which the first byte and length rule out or let through.
        ("TRUE", .bool(true)), ("FALSE", .bool(false)), ("Null", .null), ("nul", .string("nul")), ("nulls", .string("nulls")),
        ("t", .string("t")), ("tru", .string("tru")), ("truey", .string("truey")), ("fals", .string("fals")),
        ("falsey", .string("falsey")), ("f", .string("f")), ("N", .string("N")), ("team-3", .string("team-3")),
        ("text/plain", .string("text/plain")), ("~x", .string("~x")), ("+.inf", .double(.infinity)),
        ("+.Inf", .double(.infinity)), ("-", .string("-")), (".", .string(".")), ("+", .string("+")), ("_x", .string("_x")),
        ("70m", .string("70m")), ("é", .string("é")),
    ] as [(String, JSONValue)])
    func resolvesPlainScalarsByTheCoreSchema(text: String, expected: JSONValue) {
        #expect(YAMLScalarResolver.resolve(plain: text) == expected)
    }

    @Test func resolvesNaN() {
        guard case .double(let value) = YAMLScalarResolver.resolve(plain: ".nan") else {
            Issue.record("not a double")
            return
        }
        #expect(value.isNaN)
    }

    @Test func keepsQuotedScalarsAsStrings() {
        let (documents, _) = compose("a: \"42\"\nb: 'true'\nc: |\n  7\n")
        #expect(documents.first?.root.jsonValue == .object(["a": .string("42"), "b": .string("true"), "c": .string("7\n")]))
    }
}
