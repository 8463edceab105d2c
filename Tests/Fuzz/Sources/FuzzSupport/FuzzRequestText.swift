public import ChatctlAWS
import Foundation

/// An HTTP request written as text, read leniently so that every byte sequence is some
/// request: the format of the aws-c-auth suite's `request.txt` files, so those files are
/// seeds as they stand.
///
/// - The first line is the request line, `METHOD TARGET`, optionally followed by
///   ` HTTP/1.1`; the target may contain spaces.
/// - Each following line up to an empty one is a header, `Name:value`; a line without a
///   colon is a name with an empty value, and a line that starts with a space or a tab
///   continues the previous value after a `\n` (obs-fold).
/// - Everything after the empty line is the body.
///
/// Lines end at `\n`; a `\r` before it is dropped. Text is decoded as UTF-8 with invalid
/// sequences replaced. The replay tests read fuzz inputs with this same file:
/// `FuzzRequestText.swift` in ChatctlAWSTests and ChatctlEndToEndTests are symlinks to it.
public struct FuzzRequestText: Sendable {
    public var method: String
    /// The raw target: the path, then `?` and the query when there is one.
    public var target: String
    public var headers: HTTPHeaders
    public var body: [UInt8]

    public init(_ bytes: ArraySlice<UInt8>) {
        var lines: [String] = []
        var body: [UInt8] = []
        var start = bytes.startIndex
        var index = bytes.startIndex
        while index < bytes.endIndex {
            if bytes[index] == UInt8(ascii: "\n") {
                var line = bytes[start..<index]
                if line.last == UInt8(ascii: "\r") { line = line.dropLast() }
                start = index + 1
                if line.isEmpty, !lines.isEmpty {
                    body = Array(bytes[start...])
                    break
                }
                lines.append(String(decoding: line, as: UTF8.self))
            }
            index += 1
        }
        if index >= bytes.endIndex, start < bytes.endIndex {
            lines.append(String(decoding: bytes[start...], as: UTF8.self))
        }
        let requestLine = lines.first ?? ""
        var rest = Substring(requestLine)
        if let version = rest.range(of: " HTTP/", options: .backwards) {
            rest = rest[..<version.lowerBound]
        }
        if let space = rest.firstIndex(of: " ") {
            method = String(rest[..<space])
            target = String(rest[rest.index(after: space)...])
        } else {
            method = String(rest)
            target = ""
        }
        var fields: [HTTPHeader] = []
        for line in lines.dropFirst() {
            if let first = line.first, first == " " || first == "\t", !fields.isEmpty {
                fields[fields.count - 1].value += "\n" + line
            } else if let colon = line.firstIndex(of: ":") {
                fields.append(HTTPHeader(name: String(line[..<colon]), value: String(line[line.index(after: colon)...])))
            } else {
                fields.append(HTTPHeader(name: line, value: ""))
            }
        }
        headers = HTTPHeaders(fields)
        self.body = body
    }

    /// The target's path: up to the first `?`.
    public var path: String {
        target.firstIndex(of: "?").map { String(target[..<$0]) } ?? target
    }

    /// The target's query: after the first `?`, or `nil`.
    public var query: String? {
        target.firstIndex(of: "?").map { String(target[target.index(after: $0)...]) }
    }

    /// Whether every header name is an RFC 9110 token, the precondition under which a
    /// request we sign must pass our own verification (the signed-header list is joined
    /// with `;` and split on `,`, so other names cannot round-trip by design).
    public var hasTokenHeaderNames: Bool {
        headers.allSatisfy { Self.isToken($0.name) }
    }

    /// Whether `text` is a non-empty RFC 9110 token (`tchar`s only).
    public static func isToken(_ text: String) -> Bool {
        !text.isEmpty && text.utf8.allSatisfy { byte in
            switch byte {
            case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"),
                UInt8(ascii: "0")...UInt8(ascii: "9"):
                true
            default:
                Array("!#$%&'*+-.^_`|~".utf8).contains(byte)
            }
        }
    }
}
