internal import Foundation

extension RFC6455 {
    /// The client's opening handshake (section 4.1): the upgrade request, and the checks on
    /// the server's answer.
    public struct Handshake: Sendable, Equatable {
        /// The GUID appended to the key (section 1.3).
        public static let guid = "258EAFA5-E914-47DA-95CA-C5AB0DC85B11"
        /// The largest answer head read before giving up.
        public static let maxResponseHeadBytes = 16_384

        /// `Sec-WebSocket-Key`: 16 random bytes in base64.
        public var key: String

        /// Creates a handshake with `key`.
        public init(key: String) {
            self.key = key
        }

        /// A handshake with a fresh random key.
        ///
        /// - Throws: ``CryptoError`` when libcrypto's generator fails.
        public static func random() throws(CryptoError) -> Handshake {
            Handshake(key: Data(try SecureRandom.bytes(count: 16)).base64EncodedString())
        }

        /// `base64(SHA-1(key + GUID))`, the `Sec-WebSocket-Accept` a server must answer.
        public static func acceptValue(forKey key: String) -> String {
            Data(LibCrypto.sha1(Array((key + guid).utf8))).base64EncodedString()
        }

        /// The request head: `GET target HTTP/1.1` with `Host`, the upgrade fields, the key
        /// and version 13, and `User-Agent`.
        ///
        /// - Parameters:
        ///   - target: the path and query, for example `/participant/websocket?token=…`.
        ///   - authority: `host[:port]`.
        ///   - userAgent: the `User-Agent` value.
        public func request(target: String, authority: String, userAgent: String) -> [UInt8] {
            let lines = [
                "GET \(target) HTTP/1.1", "Host: \(authority)", "Upgrade: websocket", "Connection: Upgrade",
                "Sec-WebSocket-Key: \(key)", "Sec-WebSocket-Version: 13", "User-Agent: \(userAgent)",
            ]
            return Array((lines.joined(separator: "\r\n") + "\r\n\r\n").utf8)
        }

        /// Why the answer does not open a WebSocket.
        public struct Refusal: Error, Sendable, Equatable, CustomStringConvertible {
            /// The HTTP status, when the answer had one.
            public var status: Int?
            /// What was wrong, lowercase.
            public var detail: String

            /// `detail`.
            public var description: String { detail }
        }

        /// Checks the answer's head (up to and without the blank line): status 101,
        /// `Upgrade: websocket`, `Connection: Upgrade`, the right `Sec-WebSocket-Accept`, and
        /// no extension or subprotocol the client did not ask for.
        ///
        /// - Parameter head: the answer's head as text.
        /// - Throws: ``Refusal``.
        public func check(responseHead head: String) throws(Refusal) {
            let lines = head.components(separatedBy: "\r\n")
            let statusParts = (lines.first ?? "").split(separator: " ", maxSplits: 2)
            guard statusParts.count >= 2, statusParts[0].hasPrefix("HTTP/1."), let status = Int(statusParts[1]) else {
                throw Refusal(status: nil, detail: "the answer is not HTTP")
            }
            guard status == 101 else {
                throw Refusal(status: status, detail: "the server answered HTTP \(status) instead of 101 Switching Protocols")
            }
            var headers = HTTPHeaders()
            for line in lines.dropFirst() {
                guard let colon = line.firstIndex(of: ":") else { continue }
                headers.add(
                    name: String(line[..<colon]), value: String(line[line.index(after: colon)...]).trimmingASCIIWhitespace())
            }
            func tokens(_ name: String) -> [String] {
                headers.values(for: name).flatMap { $0.split(separator: ",") }.map {
                    String($0).trimmingASCIIWhitespace().lowercased()
                }
            }
            guard tokens("upgrade").contains("websocket") else {
                throw Refusal(status: status, detail: "the answer lacks Upgrade: websocket")
            }
            guard tokens("connection").contains("upgrade") else {
                throw Refusal(status: status, detail: "the answer lacks Connection: Upgrade")
            }
            guard headers["sec-websocket-accept"]?.trimmingASCIIWhitespace() == Self.acceptValue(forKey: key) else {
                throw Refusal(status: status, detail: "the answer's Sec-WebSocket-Accept does not match the key")
            }
            guard headers["sec-websocket-extensions"] == nil, headers["sec-websocket-protocol"] == nil else {
                throw Refusal(status: status, detail: "the server chose an extension or subprotocol that was not offered")
            }
        }
    }
}
