import ChatctlAWS

/// A request line and its header fields, parsed strictly (RFC 9112): one space between the
/// three parts of the request line, a token for the method, no whitespace before a
/// header's colon, no line folding, HTTP/1.0 or 1.1. Anything else is a malformed request.
struct HTTPRequestHead: Sendable, Equatable {
    var method: String
    /// The raw request target, path and query.
    var target: String
    /// 0 for HTTP/1.0, 1 for HTTP/1.1.
    var minorVersion: Int
    /// The fields as received, repeated names included.
    var headers: HTTPHeaders

    /// How the body is delimited.
    enum BodyFraming: Sendable, Equatable {
        case length(Int)
        case chunked
    }

    /// Parses the bytes ``HTTPConnectionReader/readHead(limit:)`` returned.
    static func parse(_ bytes: [UInt8]) throws(HTTPProtocolError) -> HTTPRequestHead {
        var lines = bytes.split(separator: 0x0A, omittingEmptySubsequences: false).map { line in
            line.last == 0x0D ? line.dropLast() : line
        }
        if lines.last?.isEmpty == true {
            lines.removeLast()
        }
        guard let requestLine = lines.first else {
            throw .malformed("the request line is missing")
        }
        let parts = requestLine.split(separator: 0x20, omittingEmptySubsequences: false)
        guard parts.count == 3, !parts[0].isEmpty, parts[0].allSatisfy(isTokenByte) else {
            throw .malformed("the request line must be METHOD TARGET HTTP/1.1")
        }
        guard !parts[1].isEmpty, parts[1].allSatisfy({ $0 > 0x20 && $0 != 0x7F }) else {
            throw .malformed("the request target is empty or holds whitespace or control characters")
        }
        let version = String(decoding: parts[2], as: UTF8.self)
        guard version == "HTTP/1.1" || version == "HTTP/1.0" else {
            throw .malformed("the version must be HTTP/1.1 or HTTP/1.0")
        }
        var headers = HTTPHeaders()
        for line in lines.dropFirst() {
            guard let first = line.first, first != 0x20, first != 0x09 else {
                throw .malformed("header lines may not be empty or folded")
            }
            guard let colon = line.firstIndex(of: 0x3A), colon > line.startIndex,
                line[line.startIndex..<colon].allSatisfy(isTokenByte)
            else {
                throw .malformed("a header line must be NAME: VALUE")
            }
            var valueStart = line.index(after: colon)
            var valueEnd = line.endIndex
            while valueStart < valueEnd, line[valueStart] == 0x20 || line[valueStart] == 0x09 {
                valueStart += 1
            }
            while valueEnd > valueStart, line[valueEnd - 1] == 0x20 || line[valueEnd - 1] == 0x09 {
                valueEnd -= 1
            }
            let trimmed = line[valueStart..<valueEnd]
            guard trimmed.allSatisfy({ $0 >= 0x20 || $0 == 0x09 }), !trimmed.contains(0x7F) else {
                throw .malformed("a header value holds a control character")
            }
            headers.add(
                name: String(decoding: line[line.startIndex..<colon], as: UTF8.self),
                value: String(decoding: trimmed, as: UTF8.self))
        }
        return HTTPRequestHead(
            method: String(decoding: parts[0], as: UTF8.self), target: String(decoding: parts[1], as: UTF8.self),
            minorVersion: version == "HTTP/1.1" ? 1 : 0, headers: headers)
    }

    /// Whether the connection stays open after the answer: HTTP/1.1 unless
    /// `Connection: close`, HTTP/1.0 only with `Connection: keep-alive`.
    var keepsAlive: Bool {
        let tokens = Set(
            headers.values(for: "connection").flatMap { $0.split(separator: ",") }
                .map { $0.trimmingCharacters(in: .whitespaces).lowercased() })
        return minorVersion == 1 ? !tokens.contains("close") : tokens.contains("keep-alive")
    }

    /// Whether the client waits for `100 Continue` before sending its body.
    var expectsContinue: Bool {
        minorVersion == 1 && headers["expect"]?.lowercased() == "100-continue"
    }

    /// How the body is delimited (RFC 9112 section 6.3): chunked when `Transfer-Encoding`
    /// says so, else `Content-Length`, else no body.
    func bodyFraming() throws(HTTPProtocolError) -> BodyFraming {
        let encodings = headers.values(for: "transfer-encoding")
        let lengths = headers.values(for: "content-length")
            .flatMap { $0.split(separator: ",") }.map { $0.trimmingCharacters(in: .whitespaces) }
        if !encodings.isEmpty {
            guard lengths.isEmpty else {
                throw .malformed("Content-Length and Transfer-Encoding cannot both be present")
            }
            let codings = encodings.flatMap { $0.split(separator: ",") }
                .map { $0.trimmingCharacters(in: .whitespaces).lowercased() }
            guard minorVersion == 1, codings == ["chunked"] else {
                throw .malformed("the only transfer coding served is chunked")
            }
            return .chunked
        }
        guard let first = lengths.first else {
            return .length(0)
        }
        guard lengths.allSatisfy({ $0 == first }), !first.isEmpty, first.count <= 18,
            first.utf8.allSatisfy({ (0x30...0x39).contains($0) }), let length = Int(first)
        else {
            throw .malformed("Content-Length must be one decimal number")
        }
        return .length(length)
    }

    /// RFC 9110 `tchar`.
    private static func isTokenByte(_ byte: UInt8) -> Bool {
        switch byte {
        case 0x30...0x39, 0x41...0x5A, 0x61...0x7A: true
        case UInt8(ascii: "!"), UInt8(ascii: "#"), UInt8(ascii: "$"), UInt8(ascii: "%"), UInt8(ascii: "&"),
            UInt8(ascii: "'"), UInt8(ascii: "*"), UInt8(ascii: "+"), UInt8(ascii: "-"), UInt8(ascii: "."),
            UInt8(ascii: "^"), UInt8(ascii: "_"), UInt8(ascii: "`"), UInt8(ascii: "|"), UInt8(ascii: "~"):
            true
        default: false
        }
    }
}
