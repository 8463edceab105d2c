import ArgumentParser
import ChatctlAWS
import ChatctlCore
import Foundation

/// How to reach Amazon Connect: region, credentials profile, endpoint, retries and rate.
struct ConnectionOptions: ParsableArguments {
    @Option(name: .long, help: "Region for profiles that declare none (else AWS_REGION, AWS_DEFAULT_REGION, the config file).")
    var region: String?

    @Option(name: .long, help: "Named profile of the AWS config and credentials files (else AWS_PROFILE).")
    var awsProfile: String?

    @Option(name: .long, help: "Send requests here instead of https://connect.REGION.amazonaws.com.")
    var endpointUrl: String?

    @Option(name: .long, help: "StartChatContact requests per second, shared by all workers (default 5, the service quota).")
    var rate: Double?

    @Option(name: .long, help: "Requests allowed in a burst above the rate (default 8, the service quota).")
    var burst: Double?

    @Option(name: .long, help: "Attempts per call, retries included (default 3; also AWS_MAX_ATTEMPTS).")
    var maxAttempts: Int?

    /// `--profile` would read as a chat-launch profile (docs/credentials.md, "Choosing a profile"): caught here to point at
    /// the right flag instead of a bare "unknown option".
    @Option(name: .long, help: .hidden)
    var profile: String?

    /// Bad values are usage errors (exit 64), said before anything runs.
    func validate() throws {
        if profile != nil {
            throw ValidationError("unknown option '--profile'; did you mean '--aws-profile'? (profiles to apply are chosen with --target or --selector)")
        }
        // It names hosts and signing scopes, the emulator's too: a bad one is refused here,
        // not by the service after a launch was recorded pending.
        if let region, !EndpointResolver.isValidRegion(region.trimmingCharacters(in: .whitespaces)) {
            throw ValidationError("--region must be a region name such as us-west-2 (lowercase letters, digits and -), not \"\(Terminal.printable(region))\"")
        }
        if let maxAttempts, !(1...Self.maxAttemptsLimit).contains(maxAttempts) {
            throw ValidationError("--max-attempts must be between 1 and \(Self.maxAttemptsLimit), not \(maxAttempts)")
        }
        if let rate, !(rate > 0 && rate.isFinite) {
            throw ValidationError("--rate must be a number of requests per second above 0, not \(rate)")
        }
        if let burst, !(burst >= 1 && burst.isFinite) {
            throw ValidationError("--burst must be at least 1, not \(burst)")
        }
    }

    /// Where this run's chats live, as the lockfile records it: the emulator, a custom
    /// endpoint (`--endpoint-url`, else `AWS_ENDPOINT_URL_CONNECT` or `AWS_ENDPOINT_URL`
    /// unless `AWS_IGNORE_CONFIGURED_ENDPOINT_URLS` is true), else Amazon Connect.
    func lockfileEndpoint(emulator: Bool, environment: [String: String]) -> LockfileEndpoint {
        if emulator { return .emulator }
        if let endpointUrl, !endpointUrl.isEmpty { return .custom(normalising: endpointUrl) }
        if environment["AWS_IGNORE_CONFIGURED_ENDPOINT_URLS"]?.lowercased() != "true" {
            for name in ["AWS_ENDPOINT_URL_CONNECT", "AWS_ENDPOINT_URL"] {
                if let url = environment[name], !url.trimmingCharacters(in: .whitespaces).isEmpty {
                    return .custom(normalising: url)
                }
            }
        }
        return .aws
    }

    /// The most attempts per call: the bound of the project file's `apply.maxAttempts`.
    static let maxAttemptsLimit = 10
}
