public import Foundation

/// The output of `CreateParticipantConnection`. The WebSocket URL and the `ConnectionToken`
/// are credentials: both are ``Sensitive``, so printing the answer never shows them.
public struct CreateParticipantConnectionResponse: Sendable, Equatable, Decodable {
    /// `Websocket`: where the live channel is opened.
    public struct WebSocket: Sendable, Equatable, Decodable {
        /// `Url` (1 to 2000 characters): a pre-signed `wss://` URL (the emulator's is
        /// `ws://127.0.0.1:…?token=…`); it must be opened within 100 s.
        public var url: Sensitive<String>
        /// `ConnectionExpiry` (ISO 8601), as sent.
        public var connectionExpiry: String?

        /// Creates the member.
        public init(url: Sensitive<String>, connectionExpiry: String? = nil) {
            self.url = url
            self.connectionExpiry = connectionExpiry
        }

        enum CodingKeys: String, CodingKey {
            case url = "Url", connectionExpiry = "ConnectionExpiry"
        }
    }

    /// `ConnectionCredentials`: the token of every other operation.
    public struct ConnectionCredentials: Sendable, Equatable, Decodable {
        /// `ConnectionToken` (1 to 1000 characters), valid for a day.
        public var connectionToken: Sensitive<String>
        /// `Expiry` (ISO 8601), as sent.
        public var expiry: String?

        /// Creates the member.
        public init(connectionToken: Sensitive<String>, expiry: String? = nil) {
            self.connectionToken = connectionToken
            self.expiry = expiry
        }

        enum CodingKeys: String, CodingKey {
            case connectionToken = "ConnectionToken", expiry = "Expiry"
        }
    }

    /// `Websocket`, when `WEBSOCKET` was asked for.
    public var webSocket: WebSocket?
    /// `ConnectionCredentials`, when `CONNECTION_CREDENTIALS` was asked for.
    public var connectionCredentials: ConnectionCredentials?

    /// Creates a response.
    public init(webSocket: WebSocket? = nil, connectionCredentials: ConnectionCredentials? = nil) {
        self.webSocket = webSocket
        self.connectionCredentials = connectionCredentials
    }

    enum CodingKeys: String, CodingKey {
        case webSocket = "Websocket", connectionCredentials = "ConnectionCredentials"
    }

    /// What breaks the model's lengths (`Url` 1 to 2000, `ConnectionToken` 1 to 1000), or
    /// `nil`. Only lengths are quoted, never a value.
    public var modelViolation: String? {
        let members: [(String, String?, Int)] = [
            ("Websocket.Url", webSocket?.url.value, 2000),
            ("ConnectionCredentials.ConnectionToken", connectionCredentials?.connectionToken.value, 1000),
        ]
        for case (let name, let value?, let maximum) in members {
            let length = value.unicodeScalars.count
            guard (1...maximum).contains(length) else {
                return "\(name) is \(length) characters long; the model allows 1 to \(maximum)"
            }
        }
        return nil
    }
}
