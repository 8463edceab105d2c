import ArgumentParser

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
}
