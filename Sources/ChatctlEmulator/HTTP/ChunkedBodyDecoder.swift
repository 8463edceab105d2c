/// Reads a chunked body (RFC 9112 section 7.1): hexadecimal chunk sizes with optional
/// extensions, each chunk followed by a line end, a zero-size last chunk, then trailer
/// fields up to a blank line. Every line and the total are bounded; anything malformed is
/// ``HTTPProtocolError/malformedChunked(_:)`` (answered 400).
enum ChunkedBodyDecoder {
    static func read(from reader: inout HTTPConnectionReader, limit: Int, trailerLimit: Int) async throws -> [UInt8] {
        var body: [UInt8] = []
        while true {
            let line = try await reader.readLine(limit: 1024)
            let sizeText = line.prefix { $0 != UInt8(ascii: ";") }
            let digits = sizeText.reversed().drop { $0 == 0x20 || $0 == 0x09 }.reversed()
            guard !digits.isEmpty, digits.count <= 15, let size = Int(String(decoding: digits, as: UTF8.self), radix: 16),
                digits.allSatisfy({ isHexDigit($0) })
            else {
                throw HTTPProtocolError.malformedChunked("a chunk size must be a hexadecimal number")
            }
            if size == 0 {
                var trailerBytes = 0
                while true {
                    let trailer = try await reader.readLine(limit: trailerLimit)
                    if trailer.isEmpty { return body }
                    trailerBytes += trailer.count
                    guard trailerBytes <= trailerLimit else {
                        throw HTTPProtocolError.malformedChunked("the trailer fields are too large")
                    }
                }
            }
            guard body.count + size <= limit else {
                throw HTTPProtocolError.bodyTooLarge
            }
            body += try await reader.read(count: size)
            guard try await reader.readLine(limit: 2).isEmpty else {
                throw HTTPProtocolError.malformedChunked("a chunk must end with a line end right after its data")
            }
        }
    }

    private static func isHexDigit(_ byte: UInt8) -> Bool {
        (0x30...0x39).contains(byte) || (0x41...0x46).contains(byte) || (0x61...0x66).contains(byte)
    }
}
