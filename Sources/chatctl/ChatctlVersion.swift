/// The version `chatctl --version` prints.
enum ChatctlVersion {
    static let current = "0.1.0"
}
