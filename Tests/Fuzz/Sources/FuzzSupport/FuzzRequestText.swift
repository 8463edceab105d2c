public import ChatctlAWS
public import Foundation

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

extension FuzzRequestText {
    /// Stands, in an emulator input's body, for the ContactId of the last contact started,
    /// which no input can know beforehand: it lets inputs stop, continue or relate to a real
    /// contact.
    public static let contactPlaceholder = Array("{{contact}}".utf8)

    /// `body` with every ``contactPlaceholder`` replaced by `contactID`.
    public static func substitutingContact(_ contactID: String, in body: [UInt8]) -> [UInt8] {
        let pattern = contactPlaceholder
        var result: [UInt8] = []
        var index = 0
        while index < body.count {
            if body[index] == pattern[0], body[index...].starts(with: pattern) {
                result += Array(contactID.utf8)
                index += pattern.count
            } else {
                result.append(body[index])
                index += 1
            }
        }
        return result
    }
}

/// How the SigV4 fuzz target reads an input: one flags byte, then a ``FuzzRequestText``.
/// Flags: 0x01 no path normalisation, 0x02 no double encoding, 0x04 unsigned payload, 0x08
/// add `X-Amz-Content-SHA256`, 0x10 session token, 0x20 `http`, 0x30 both: the token added
/// after signing; the top two bits choose the signing time. The fuzz target and the replay
/// tests both read inputs through this type, so a replayed input means what it meant when
/// it was found.
public struct FuzzSigningInput: Sendable {
    public static let credentials = AWSCredentials(
        accessKeyId: "AKIDEXAMPLE", secretAccessKey: "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY")
    public static let sessionToken = "6e86291e8372ff2a2260956d9b8aae1d763fbf315fa00fa31553b73ebf194267"
    /// Signing times the flags choose from: the suite's, the epoch, and the ends of the
    /// four-digit years `X-Amz-Date` can carry.
    public static let dates: [Date] = [
        Date(timeIntervalSince1970: 1_440_938_160),  // 2015-08-30T12:36:00Z
        Date(timeIntervalSince1970: 0),
        Date(timeIntervalSince1970: 253_402_300_799),  // 9999-12-31T23:59:59Z
        Date(timeIntervalSince1970: -62_135_596_800),  // 0001-01-01T00:00:00Z
    ]

    public let flags: UInt8
    public let text: FuzzRequestText
    public let options: SigV4Signer.Options
    public let date: Date
    public let request: HTTPRequest
    /// The credentials to sign with (a session token when flag 0x10 is set).
    public let signingCredentials: AWSCredentials

    public init(_ bytes: [UInt8]) {
        flags = bytes.first ?? 0
        text = FuzzRequestText(bytes.dropFirst())
        options = SigV4Signer.Options(
            normalizesPath: flags & 0x01 == 0, doubleEncodesPath: flags & 0x02 == 0,
            payloadSigning: flags & 0x04 == 0 ? .bodyHash : .unsigned,
            addsContentSHA256Header: flags & 0x08 != 0, omitsSessionToken: flags & 0x30 == 0x30)
        date = Self.dates[Int(flags >> 6)]
        request = HTTPRequest(
            method: text.method, scheme: flags & 0x20 == 0 ? "https" : "http",
            authority: text.headers["host"] ?? "example.amazonaws.com", path: text.path, query: text.query,
            headers: text.headers, body: text.body)
        signingCredentials = AWSCredentials(
            accessKeyId: Self.credentials.accessKeyId, secretAccessKey: Self.credentials.secretAccessKey,
            sessionToken: flags & 0x10 != 0 ? Self.sessionToken : nil)
    }

    /// A verifier that knows ``credentials``, with the input's options.
    public var verifier: SigV4Verifier {
        SigV4Verifier(service: "service", region: "us-east-1", options: options) { id in
            id == Self.credentials.accessKeyId ? Self.credentials.secretAccessKey : nil
        }
    }

    /// Whether a request signed from this input must pass our own verifier: its header
    /// names are tokens and the verifier can know the payload hash (the body's, or
    /// `UNSIGNED-PAYLOAD` announced in `X-Amz-Content-SHA256`).
    public var mustVerifyOnceSigned: Bool {
        text.hasTokenHeaderNames && (options.payloadSigning == .bodyHash || options.addsContentSHA256Header)
    }
}
