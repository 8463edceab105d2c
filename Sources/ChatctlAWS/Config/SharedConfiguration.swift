import Foundation

/// The shared config and credentials files, read once, and the profile chosen for this run.
///
/// The files are `~/.aws/config` and `~/.aws/credentials`, or the paths in
/// `AWS_CONFIG_FILE` and `AWS_SHARED_CREDENTIALS_FILE` (a leading `~` is the home folder).
/// A missing file counts as empty. The profile is, first found: the `--aws-profile` value,
/// `AWS_PROFILE`, `AWS_DEFAULT_PROFILE`, `default`. A profile's settings are those of its
/// config-file section with its credentials-file section laid over them.
///
/// The environment and the home folder are passed in; nothing here reads the process's own.
public struct SharedConfiguration: Sendable, Equatable, CustomStringConvertible, CustomReflectable {
    /// Where the profile name came from.
    public enum ProfileSource: Sendable, Equatable {
        /// The command line (`--aws-profile`).
        case flag
        /// An environment variable: `AWS_PROFILE` or `AWS_DEFAULT_PROFILE`.
        case environment(String)
        /// Nothing chose one: `default`.
        case defaultProfile
    }

    /// One of the two files.
    public struct File: Sendable, Equatable {
        /// The absolute path read.
        public var path: String
        /// The path as shown to the user, with the home folder written `~`.
        public var displayPath: String
        /// The parsed file, or `nil` when there is no such file.
        public var contents: SharedConfigFile?

        /// Creates a file record.
        ///
        /// - Parameters:
        ///   - path: the absolute path.
        ///   - displayPath: the path as shown to the user.
        ///   - contents: the parsed contents, `nil` when the file does not exist.
        public init(path: String, displayPath: String, contents: SharedConfigFile?) {
            self.path = path
            self.displayPath = displayPath
            self.contents = contents
        }
    }

    /// The config file (`AWS_CONFIG_FILE`, default `~/.aws/config`).
    public var configFile: File
    /// The credentials file (`AWS_SHARED_CREDENTIALS_FILE`, default `~/.aws/credentials`).
    public var credentialsFile: File
    /// The chosen profile's name.
    public var profileName: String
    /// Where ``profileName`` came from.
    public var profileSource: ProfileSource
    /// The home folder used for `~`.
    public var homeDirectory: String

    /// Creates a configuration from files already parsed.
    ///
    /// - Parameters:
    ///   - configFile: the config file.
    ///   - credentialsFile: the credentials file.
    ///   - profileName: the chosen profile.
    ///   - profileSource: where the name came from.
    ///   - homeDirectory: the home folder used for `~`.
    public init(
        configFile: File, credentialsFile: File, profileName: String = "default",
        profileSource: ProfileSource = .defaultProfile, homeDirectory: String
    ) {
        self.configFile = configFile
        self.credentialsFile = credentialsFile
        self.profileName = profileName
        self.profileSource = profileSource
        self.homeDirectory = homeDirectory
    }

    /// Reads both files and chooses the profile.
    ///
    /// - Parameters:
    ///   - environment: the process environment (`AWS_CONFIG_FILE`,
    ///     `AWS_SHARED_CREDENTIALS_FILE`, `AWS_PROFILE`, `AWS_DEFAULT_PROFILE`).
    ///   - homeDirectory: the user's home folder, for the default paths and `~`.
    ///   - profile: the `--aws-profile` value, if given.
    /// - Returns: the files and the chosen profile. The profile need not exist.
    /// - Throws: ``SharedConfigFileError`` when a file exists but cannot be read or parsed.
    public static func load(
        environment: [String: String], homeDirectory: String, profile: String? = nil
    ) throws(SharedConfigFileError) -> SharedConfiguration {
        func path(_ variable: String, default defaultPath: String) -> String {
            let value = environment[variable].map { $0.trimmingASCIIWhitespace() } ?? ""
            return expandingHome(value.isEmpty ? defaultPath : value, homeDirectory: homeDirectory)
        }
        let configPath = path("AWS_CONFIG_FILE", default: "~/.aws/config")
        let credentialsPath = path("AWS_SHARED_CREDENTIALS_FILE", default: "~/.aws/credentials")
        let config = try readFile(configPath, kind: .config, homeDirectory: homeDirectory)
        let credentials = try readFile(credentialsPath, kind: .credentials, homeDirectory: homeDirectory)

        var name = "default"
        var source = ProfileSource.defaultProfile
        if let profile = profile?.trimmingASCIIWhitespace(), !profile.isEmpty {
            (name, source) = (profile, .flag)
        } else {
            for variable in ["AWS_PROFILE", "AWS_DEFAULT_PROFILE"] {
                if let value = environment[variable]?.trimmingASCIIWhitespace(), !value.isEmpty {
                    (name, source) = (value, .environment(variable))
                    break
                }
            }
        }
        return SharedConfiguration(
            configFile: config, credentialsFile: credentials, profileName: name, profileSource: source,
            homeDirectory: homeDirectory)
    }

    /// The home folder to use when the caller has no better one: `HOME` from `environment`,
    /// else the account's home folder.
    ///
    /// - Parameter environment: the process environment.
    /// - Returns: an absolute path.
    public static func homeDirectory(environment: [String: String]) -> String {
        if let home = environment["HOME"], !home.isEmpty {
            return home
        }
        return FileManager.default.homeDirectoryForCurrentUser.path
    }

    // MARK: - Profiles

    /// The chosen profile's merged settings, or `nil` when neither file has it.
    public var selectedProfile: SharedConfigSection? {
        profile(named: profileName)
    }

    /// A profile's merged settings: its config-file section with its credentials-file
    /// section laid over it.
    ///
    /// - Parameter name: the profile name.
    /// - Returns: the settings, or `nil` when neither file has the profile.
    public func profile(named name: String) -> SharedConfigSection? {
        let fromConfig = configFile.contents?.profiles[name]
        let fromCredentials = credentialsFile.contents?.profiles[name]
        switch (fromConfig, fromCredentials) {
        case (nil, nil): return nil
        case (let config?, nil): return config
        case (nil, let credentials?): return credentials
        case (let config?, let credentials?): return config.merging(credentials)
        }
    }

    /// The `endpoint_url` a profile sets for one service through its `services` section.
    ///
    /// - Parameters:
    ///   - service: the service's key in the section, for example `connect` or `sts`.
    ///   - key: the setting, for example `endpoint_url`.
    ///   - profile: the profile; the chosen one by default.
    /// - Returns: the value, or `nil`.
    public func serviceSetting(_ service: String, _ key: String, profile: SharedConfigSection? = nil) -> String? {
        guard let profile = profile ?? selectedProfile, let servicesName = profile["services"] else { return nil }
        return configFile.contents?.services[servicesName.trimmingASCIIWhitespace()]?.subProperty(service, key)
    }

    /// The chosen profile's region and endpoint settings, as ``EndpointResolver`` takes them.
    public var endpointSettings: EndpointResolver.ConfigFileSettings {
        let profile = selectedProfile
        return EndpointResolver.ConfigFileSettings(
            region: profile?["region"]?.trimmingASCIIWhitespace(),
            endpointURL: profile?["endpoint_url"]?.trimmingASCIIWhitespace(),
            connectEndpointURL: serviceSetting("connect", "endpoint_url")?.trimmingASCIIWhitespace(),
            useFIPSEndpoint: profile?["use_fips_endpoint"],
            useDualStackEndpoint: profile?["use_dualstack_endpoint"],
            ignoreConfiguredEndpointURLs: profile?["ignore_configured_endpoint_urls"],
            connectParticipantEndpointURL: serviceSetting("connectparticipant", "endpoint_url")?.trimmingASCIIWhitespace())
    }

    /// The chosen profile's `max_attempts`, as written (see `RetryStrategy.Configuration`).
    public var maxAttempts: String? {
        selectedProfile?["max_attempts"]?.trimmingASCIIWhitespace()
    }

    /// The chosen profile's `retry_mode` (`standard`, `adaptive` or `legacy`), as written.
    public var retryMode: String? {
        selectedProfile?["retry_mode"]?.trimmingASCIIWhitespace()
    }

    /// The chosen profile's `region`.
    public var region: String? {
        selectedProfile?["region"]?.trimmingASCIIWhitespace()
    }

    // MARK: - Paths

    /// `path` with a leading `~` or `~/` replaced by the home folder.
    public func expandingHome(_ path: String) -> String {
        Self.expandingHome(path, homeDirectory: homeDirectory)
    }

    /// `path` with the home folder written `~`, for messages.
    public func displayPath(_ path: String) -> String {
        Self.displayPath(path, homeDirectory: homeDirectory)
    }

    static func expandingHome(_ path: String, homeDirectory: String) -> String {
        if path == "~" { return homeDirectory }
        if path.hasPrefix("~/") {
            let base = homeDirectory.hasSuffix("/") ? String(homeDirectory.dropLast()) : homeDirectory
            return base + path.dropFirst()
        }
        return path
    }

    static func displayPath(_ path: String, homeDirectory: String) -> String {
        let base = homeDirectory.hasSuffix("/") ? String(homeDirectory.dropLast()) : homeDirectory
        guard !base.isEmpty, path.hasPrefix(base + "/") else { return path }
        return "~" + path.dropFirst(base.count)
    }

    private static func readFile(
        _ path: String, kind: SharedConfigFile.Kind, homeDirectory: String
    ) throws(SharedConfigFileError) -> File {
        let shown = displayPath(path, homeDirectory: homeDirectory)
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) else {
            return File(path: path, displayPath: shown, contents: nil)
        }
        guard !isDirectory.boolValue else {
            throw .unreadable(path: shown, reason: "it is a directory")
        }
        let data: Data
        do {
            data = try Data(contentsOf: URL(fileURLWithPath: path))
        } catch {
            let reason = FileManager.default.isReadableFile(atPath: path) ? "read failed" : "permission denied"
            throw .unreadable(path: shown, reason: reason)
        }
        let parsed = try SharedConfigFile.parse(String(decoding: data, as: UTF8.self), kind: kind, path: shown)
        return File(path: path, displayPath: shown, contents: parsed)
    }

    /// The two paths and the chosen profile; no setting is shown.
    public var description: String {
        "SharedConfiguration(config: \(configFile.displayPath), credentials: \(credentialsFile.displayPath), profile: \(profileName))"
    }

    /// A mirror with the paths, the profile and the redacted sections.
    public var customMirror: Mirror {
        Mirror(
            self,
            children: [
                "configFile": configFile.displayPath, "credentialsFile": credentialsFile.displayPath,
                "profileName": profileName, "config": configFile.contents as Any,
                "credentials": credentialsFile.contents as Any,
            ], displayStyle: .struct)
    }
}
