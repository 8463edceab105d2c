import ChatctlAWS
import Foundation
import Testing

@Suite struct SharedConfigurationTests {
    @Test func readsTheDefaultFilesUnderTheHomeFolder() throws {
        let home = try CredentialTestFolder()
        try home.write(".aws/config", "[default]\nregion = eu-west-1\n")
        try home.write(".aws/credentials", "[default]\naws_access_key_id = AKID\n")
        let configuration = try SharedConfiguration.load(environment: [:], homeDirectory: home.path)
        #expect(configuration.configFile.displayPath == "~/.aws/config")
        #expect(configuration.credentialsFile.displayPath == "~/.aws/credentials")
        #expect(configuration.configFile.path == home.path + "/.aws/config")
        #expect(configuration.profileName == "default")
        #expect(configuration.profileSource == .defaultProfile)
        #expect(configuration.region == "eu-west-1")
        #expect(configuration.selectedProfile?["aws_access_key_id"] == "AKID")
    }

    @Test func treatsMissingFilesAsEmpty() throws {
        let home = try CredentialTestFolder()
        let configuration = try SharedConfiguration.load(environment: [:], homeDirectory: home.path)
        #expect(configuration.configFile.contents == nil)
        #expect(configuration.credentialsFile.contents == nil)
        #expect(configuration.selectedProfile == nil)
        #expect(configuration.endpointSettings == EndpointResolver.ConfigFileSettings())
    }

    @Test func honoursTheFileVariablesAndExpandsTheHomeFolder() throws {
        let home = try CredentialTestFolder()
        try home.write("elsewhere/cfg", "[profile x]\nregion = ap-northeast-1\n")
        let credentialsPath = try home.write("abs/creds", "[x]\naws_access_key_id = AKIDX\n")
        let configuration = try SharedConfiguration.load(
            environment: ["AWS_CONFIG_FILE": "~/elsewhere/cfg", "AWS_SHARED_CREDENTIALS_FILE": credentialsPath],
            homeDirectory: home.path, profile: "x")
        #expect(configuration.configFile.path == home.path + "/elsewhere/cfg")
        #expect(configuration.configFile.displayPath == "~/elsewhere/cfg")
        #expect(configuration.credentialsFile.path == credentialsPath)
        #expect(configuration.region == "ap-northeast-1")
        #expect(configuration.selectedProfile?["aws_access_key_id"] == "AKIDX")
    }

    struct ProfileChoice: CustomTestStringConvertible, Sendable {
        var flag: String?
        var environment: [String: String]
        var name: String
        var source: SharedConfiguration.ProfileSource
        var testDescription: String { "\(name) from \(source)" }
    }

    @Test(arguments: [
        ProfileChoice(flag: "cli", environment: ["AWS_PROFILE": "env", "AWS_DEFAULT_PROFILE": "old"], name: "cli", source: .flag),
        ProfileChoice(flag: nil, environment: ["AWS_PROFILE": "env", "AWS_DEFAULT_PROFILE": "old"], name: "env",
                      source: .environment("AWS_PROFILE")),
        ProfileChoice(flag: "", environment: ["AWS_DEFAULT_PROFILE": "old"], name: "old", source: .environment("AWS_DEFAULT_PROFILE")),
        ProfileChoice(flag: nil, environment: ["AWS_PROFILE": ""], name: "default", source: .defaultProfile),
    ])
    func choosesTheProfileFromTheFlagThenTheEnvironment(_ choice: ProfileChoice) throws {
        let home = try CredentialTestFolder()
        let configuration = try SharedConfiguration.load(
            environment: choice.environment, homeDirectory: home.path, profile: choice.flag)
        #expect(configuration.profileName == choice.name)
        #expect(configuration.profileSource == choice.source)
    }

    @Test func laysTheCredentialsFileOverTheConfigFile() throws {
        let home = try CredentialTestFolder()
        try home.write(".aws/config", "[profile dev]\nregion = us-east-1\naws_access_key_id = FROMCONFIG\noutput = json\n")
        try home.write(".aws/credentials", "[dev]\naws_access_key_id = FROMCREDENTIALS\n")
        let configuration = try SharedConfiguration.load(environment: ["AWS_PROFILE": "dev"], homeDirectory: home.path)
        let profile = try #require(configuration.selectedProfile)
        #expect(profile["aws_access_key_id"] == "FROMCREDENTIALS")
        #expect(profile["region"] == "us-east-1")
        #expect(profile["output"] == "json")
    }

    @Test func fillsTheEndpointResolverSettingsFromTheProfileAndItsServices() throws {
        let home = try CredentialTestFolder()
        try home.write(
            ".aws/config",
            """
            [profile dev]
            region = eu-west-2
            endpoint_url = https://all.example.com
            services = dev-services
            use_fips_endpoint = false
            use_dualstack_endpoint = true
            ignore_configured_endpoint_urls = false
            max_attempts = 5
            retry_mode = standard

            [services dev-services]
            connect =
              endpoint_url = http://127.0.0.1:9000
            """)
        let configuration = try SharedConfiguration.load(environment: [:], homeDirectory: home.path, profile: "dev")
        #expect(
            configuration.endpointSettings
                == EndpointResolver.ConfigFileSettings(
                    region: "eu-west-2", endpointURL: "https://all.example.com", connectEndpointURL: "http://127.0.0.1:9000",
                    useFIPSEndpoint: "false", useDualStackEndpoint: "true", ignoreConfiguredEndpointURLs: "false"))
        #expect(configuration.maxAttempts == "5")
        #expect(configuration.retryMode == "standard")
        #expect(configuration.serviceSetting("connect", "endpoint_url") == "http://127.0.0.1:9000")

        let endpoint = try EndpointResolver.resolveEndpoint(
            region: "eu-west-2", flag: nil, environment: [:], configFile: configuration.endpointSettings)
        #expect(endpoint.endpoint.description == "http://127.0.0.1:9000")
    }

    @Test func reportsAMalformedFileWithItsDisplayPathAndLine() throws {
        let home = try CredentialTestFolder()
        try home.write(".aws/credentials", "[default]\naws_access_key_id\n")
        #expect(throws: SharedConfigFileError(path: "~/.aws/credentials", line: 2, message: "expected \"[section]\" or \"key = value\"")) {
            try SharedConfiguration.load(environment: [:], homeDirectory: home.path)
        }
    }

    @Test func reportsAFolderInPlaceOfAFile() throws {
        let home = try CredentialTestFolder()
        try FileManager.default.createDirectory(
            atPath: home.path + "/.aws/config", withIntermediateDirectories: true)
        #expect(throws: SharedConfigFileError(path: "~/.aws/config", line: nil, message: "cannot read the file: it is a directory")) {
            try SharedConfiguration.load(environment: [:], homeDirectory: home.path)
        }
    }

    @Test func usesHOMEWhenAskedForADefaultHomeFolder() {
        #expect(SharedConfiguration.homeDirectory(environment: ["HOME": "/home/someone"]) == "/home/someone")
        #expect(!SharedConfiguration.homeDirectory(environment: [:]).isEmpty)
    }
}
