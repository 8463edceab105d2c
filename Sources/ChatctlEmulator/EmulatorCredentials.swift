public import ChatctlAWS

/// The credentials the emulator accepts, and prints when it is ready.
///
/// They are fixed and public, like a local database's default password: the emulator
/// only listens on loopback by default and guards nothing real. What they buy is that
/// every request is really signed and verified, so a client that signs wrongly fails
/// against the emulator as it would against Amazon Connect.
public struct EmulatorCredentials: Sendable, Hashable {
    /// The access key id the emulator expects.
    public var accessKeyID: String
    /// The secret access key the emulator verifies signatures with.
    public var secretAccessKey: String

    public init(accessKeyID: String, secretAccessKey: String) {
        self.accessKeyID = accessKeyID
        self.secretAccessKey = secretAccessKey
    }

    /// `AKIDCHATCTLEMULATOR` / `chatctl-emulator-secret`: the defaults.
    public static let standard = EmulatorCredentials(
        accessKeyID: "AKIDCHATCTLEMULATOR", secretAccessKey: "chatctl-emulator-secret")

    /// The same values as client credentials, for a client pointed at the emulator.
    public var awsCredentials: AWSCredentials {
        AWSCredentials(accessKeyId: accessKeyID, secretAccessKey: secretAccessKey)
    }
}
