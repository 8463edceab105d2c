/// Removes secrets from HTTP messages before they are logged: header values
/// (``HTTPHeaders/redacted()``), presigned query parameters, and members of JSON, XML and
/// form bodies whose names mark them as secret or sensitive.
///
/// Bodies are redacted by scanning, not by parsing and re-writing, so the logged text keeps
/// the bytes' own layout, and malformed JSON is redacted as well as valid JSON. A body that
/// is neither JSON, XML, a form nor text is not shown at all.
public enum HTTPLogRedactor {
    /// What replaces a secret value: `(sensitive)`, the same text as ``Sensitive`` and
    /// ``StartChatContactRequest/redactedJSONBody()`` show.
    public static var placeholder: String { Sensitive<String>.placeholder }

    /// Lower-cased names of body members (JSON keys, XML elements, form fields) whose values
    /// are never logged: model-sensitive members (`CustomerId`, `ParticipantToken`), the
    /// participant service's `ConnectionToken` and WebSocket `Url` (a pre-signed URL: its
    /// query is a credential), and credentials (`SecretAccessKey`, `SessionToken`, `Token`,
    /// `WebIdentityToken`, …).
    public static let sensitiveMemberNames: Set<String> = [
        "customerid", "participanttoken", "connectiontoken", "url", "secretaccesskey", "aws_secret_access_key",
        "sessiontoken", "aws_session_token", "token", "webidentitytoken", "password", "authorization",
    ]

    /// Lower-cased query parameter names whose values are never logged (presigned URLs).
    public static let sensitiveQueryNames: Set<String> = [
        "x-amz-credential", "x-amz-signature", "x-amz-security-token", "webidentitytoken",
    ]

    /// The query with the values of ``sensitiveQueryNames`` replaced by `(redacted)`.
    ///
    /// - Parameter query: the raw query, without `?`.
    /// - Returns: the same parameters in the same order.
    public static func redactedQuery(_ query: String) -> String {
        query.split(separator: "&", omittingEmptySubsequences: false).map { pair -> String in
            guard let equals = pair.firstIndex(of: "=") else { return String(pair) }
            let name = pair[..<equals]
            let decoded = URIEncoding.decode(name).lowercased()
            return sensitiveQueryNames.contains(decoded) ? "\(name)=(redacted)" : String(pair)
        }.joined(separator: "&")
    }

    /// The request target (path and query) with the query redacted.
    public static func redactedTarget(of request: HTTPRequest) -> String {
        guard let query = request.query else { return request.path }
        return "\(request.path)?\(redactedQuery(query))"
    }

    /// The body as text safe to log, or a note saying why it is not shown.
    ///
    /// - Parameters:
    ///   - body: the body bytes.
    ///   - contentType: the message's `Content-Type`, if any.
    ///   - limit: the most characters shown; the rest is summarised.
    /// - Returns: the redacted text, `nil` for an empty body.
    public static func redactedBody(_ body: [UInt8], contentType: String?, limit: Int = 4096) -> String? {
        guard !body.isEmpty else { return nil }
        let type = (contentType ?? "").lowercased()
        let first = body.first { ![0x20, 0x09, 0x0A, 0x0D].contains($0) }
        var text: String
        if type.contains("json") || (type.isEmpty && (first == UInt8(ascii: "{") || first == UInt8(ascii: "["))) {
            text = String(decoding: redactedJSON(body), as: UTF8.self)
        } else if type.contains("xml") || (type.isEmpty && first == UInt8(ascii: "<")) {
            text = redactedXML(String(decoding: body, as: UTF8.self))
        } else if type.contains("x-www-form-urlencoded") {
            text = redactedForm(String(decoding: body, as: UTF8.self))
        } else if type.hasPrefix("text/") {
            text = String(decoding: body, as: UTF8.self)
        } else {
            return "(\(body.count) bytes of \(type.isEmpty ? "unknown content" : type), not shown)"
        }
        // Messages inside the body may quote headers (an InvalidSignatureException quotes
        // the canonical request, session token included).
        text = redactedText(text)
        guard text.count > limit else { return text }
        return String(text.prefix(limit)) + "… (\(text.count - limit) more characters)"
    }

    /// A message written by a server, safe to print or store: every `name: value` or
    /// `name=value` whose name is a sensitive header (``HTTPHeaders/sensitiveNames``, such as
    /// `x-amz-security-token` and `x-amz-bearer`) or a presigned query parameter
    /// (``sensitiveQueryNames``) has its value replaced by `(redacted)`, as a canonical
    /// request quoted by an InvalidSignatureException would show it; then quoted JSON
    /// members named in ``sensitiveMemberNames`` are redacted as in bodies.
    ///
    /// Names match case-insensitively and only where they start a word (or follow an escape
    /// such as `\n` in JSON text). A value ends at a
    /// line break, a quote or a backslash (an escaped line break inside JSON), and for the
    /// `=` form also at `&`, `,`, `;` or white space.
    ///
    /// - Parameter text: the server's text.
    /// - Returns: the text with every such value replaced.
    public static func redactedText(_ text: String) -> String {
        let names = HTTPHeaders.sensitiveNames.union(sensitiveQueryNames).map { Array($0.unicodeScalars) }
        let scalars = Array(text.unicodeScalars)
        func lower(_ scalar: Unicode.Scalar) -> Unicode.Scalar {
            ("A"..."Z").contains(scalar) ? Unicode.Scalar(scalar.value + 32) ?? scalar : scalar
        }
        func isNamePart(_ scalar: Unicode.Scalar) -> Bool {
            scalar.properties.isAlphabetic || ("0"..."9").contains(scalar) || scalar == "-" || scalar == "_"
        }
        func isBlank(_ scalar: Unicode.Scalar) -> Bool { scalar == " " || scalar == "\t" }
        func endsValue(_ scalar: Unicode.Scalar, after separator: Unicode.Scalar) -> Bool {
            if ["\n", "\r", "'", "\"", "\\"].contains(scalar) { return true }
            return separator == "=" && ["&", ",", ";", " ", "\t"].contains(scalar)
        }
        /// The end of the value when a sensitive `name: value` starts at `start`.
        func valueRange(at start: Int) -> (valueStart: Int, end: Int)? {
            // A name starts a word: at the start, after a character that cannot be part of
            // a name, or after an escape such as `\n` inside JSON text.
            let startsWord = start == 0 || !isNamePart(scalars[start - 1]) || (start >= 2 && scalars[start - 2] == "\\")
            guard startsWord else { return nil }
            for name in names where start + name.count <= scalars.count {
                guard zip(name, scalars[start..<start + name.count]).allSatisfy({ $0 == lower($1) }) else { continue }
                var index = start + name.count
                while index < scalars.count, isBlank(scalars[index]) { index += 1 }
                guard index < scalars.count, scalars[index] == ":" || scalars[index] == "=" else { continue }
                let separator = scalars[index]
                index += 1
                while index < scalars.count, isBlank(scalars[index]) { index += 1 }
                // A value already replaced (a body member redacted first) stays as it is.
                guard index < scalars.count, scalars[index] != "(" else { continue }
                var end = index
                while end < scalars.count, !endsValue(scalars[end], after: separator) { end += 1 }
                if end > index { return (index, end) }
            }
            return nil
        }
        var output = String.UnicodeScalarView()
        var index = 0
        while index < scalars.count {
            if let (valueStart, end) = valueRange(at: index) {
                output.append(contentsOf: scalars[index..<valueStart])
                output.append(contentsOf: "(redacted)".unicodeScalars)
                index = end
            } else {
                output.append(scalars[index])
                index += 1
            }
        }
        return String(decoding: redactedJSON(Array(String(output).utf8)), as: UTF8.self)
    }

    /// JSON bytes with the string (or number, or literal) value of every member named in
    /// ``sensitiveMemberNames`` (case-insensitive, at any depth) replaced by
    /// `"(sensitive)"`. Objects and arrays under such a name are scanned in turn.
    public static func redactedJSON(_ bytes: [UInt8]) -> [UInt8] {
        let quote = UInt8(ascii: "\"")
        var output: [UInt8] = []
        output.reserveCapacity(bytes.count)
        var index = 0
        while index < bytes.count {
            guard bytes[index] == quote else {
                output.append(bytes[index])
                index += 1
                continue
            }
            let end = endOfString(bytes, from: index)
            output.append(contentsOf: bytes[index..<end])
            let key = String(decoding: bytes[min(index + 1, end)..<max(index + 1, end - 1)], as: UTF8.self)
            index = end
            var colon = index
            while colon < bytes.count, isWhitespace(bytes[colon]) { colon += 1 }
            guard colon < bytes.count, bytes[colon] == UInt8(ascii: ":"),
                sensitiveMemberNames.contains(key.lowercased())
            else { continue }
            var valueStart = colon + 1
            while valueStart < bytes.count, isWhitespace(bytes[valueStart]) { valueStart += 1 }
            output.append(contentsOf: bytes[index..<valueStart])
            index = valueStart
            guard valueStart < bytes.count else { break }
            switch bytes[valueStart] {
            case quote:
                index = endOfString(bytes, from: valueStart)
            case UInt8(ascii: "{"), UInt8(ascii: "["):
                continue
            default:
                var valueEnd = valueStart
                while valueEnd < bytes.count, !isWhitespace(bytes[valueEnd]),
                    ![UInt8(ascii: ","), UInt8(ascii: "}"), UInt8(ascii: "]")].contains(bytes[valueEnd])
                {
                    valueEnd += 1
                }
                index = valueEnd
            }
            output.append(quote)
            output.append(contentsOf: placeholder.utf8)
            output.append(quote)
        }
        return output
    }

    /// XML text with the content of every element named in ``sensitiveMemberNames``
    /// (case-insensitive, namespace prefixes ignored) replaced by `(sensitive)`.
    public static func redactedXML(_ text: String) -> String {
        var output = ""
        var rest = Substring(text)
        while let open = rest.firstIndex(of: "<") {
            guard let close = rest[open...].firstIndex(of: ">") else { break }
            output += rest[..<rest.index(after: close)]
            let tag = rest[rest.index(after: open)..<close]
            rest = rest[rest.index(after: close)...]
            guard !tag.hasPrefix("/"), !tag.hasPrefix("?"), !tag.hasPrefix("!"), !tag.hasSuffix("/") else { continue }
            let name = tag.split(whereSeparator: { $0 == " " || $0 == "\t" || $0 == "\n" }).first.map(String.init) ?? ""
            let localName = name.split(separator: ":").last.map(String.init) ?? name
            guard sensitiveMemberNames.contains(localName.lowercased()) else { continue }
            guard let end = rest.range(of: "</\(name)") else {
                output += placeholder
                rest = rest[rest.endIndex...]
                break
            }
            output += placeholder
            rest = rest[end.lowerBound...]
        }
        output += rest
        return output
    }

    /// An `application/x-www-form-urlencoded` body with the values of sensitive fields
    /// (``sensitiveMemberNames`` and ``sensitiveQueryNames``) replaced by `(sensitive)`.
    public static func redactedForm(_ text: String) -> String {
        text.split(separator: "&", omittingEmptySubsequences: false).map { pair -> String in
            guard let equals = pair.firstIndex(of: "=") else { return String(pair) }
            let name = pair[..<equals]
            let decoded = URIEncoding.decode(name).lowercased()
            let sensitive = sensitiveMemberNames.contains(decoded) || sensitiveQueryNames.contains(decoded)
            return sensitive ? "\(name)=\(placeholder)" : String(pair)
        }.joined(separator: "&")
    }

    /// The index just past the string starting at the quote at `start` (or the end of the
    /// bytes when it is not closed); backslash escapes are skipped.
    private static func endOfString(_ bytes: [UInt8], from start: Int) -> Int {
        var index = start + 1
        while index < bytes.count {
            switch bytes[index] {
            case UInt8(ascii: "\\"):
                index += 2
            case UInt8(ascii: "\""):
                return index + 1
            default:
                index += 1
            }
        }
        return bytes.count
    }

    private static func isWhitespace(_ byte: UInt8) -> Bool {
        byte == 0x20 || byte == 0x09 || byte == 0x0A || byte == 0x0D
    }
}
