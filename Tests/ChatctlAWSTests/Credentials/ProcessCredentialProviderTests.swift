import ChatctlAWS
import Foundation
import Testing

@Suite struct ProcessCredentialProviderTests {
    private let folder: CredentialTestFolder

    init() throws {
        folder = try CredentialTestFolder()
    }

    /// A command that runs a shell script printing `output` and exiting with `status`.
    ///
    /// The script is run by `sh`, not executed directly: a file just written may still be
    /// open in a child that another test is forking at the same moment, and executing it
    /// would then fail with ETXTBSY ("Text file busy").
    private func script(_ name: String, printing output: String, status: Int = 0) throws -> String {
        let path = try folder.write(name, "cat <<'JSON'\n\(output)\nJSON\nexit \(status)\n")
        return "sh '\(path)'"
    }

    private func error(_ provider: ProcessCredentialProvider) async -> CredentialsError? {
        await credentialsError { () async throws(CredentialsError) in try await provider.credentials() }
    }

    @Test func readsVersionOneJSONWithItsExpiration() async throws {
        let command = try script(
            "creds.sh",
            printing: #"{"Version": 1, "AccessKeyId": "ASIAPROC", "SecretAccessKey": "proc-secret", "SessionToken": "proc-token", "Expiration": "2026-01-01T01:00:00Z"}"#)
        let credentials = try await ProcessCredentialProvider(command: command, environment: [:]).credentials()
        #expect(
            credentials
                == AWSCredentials(
                    accessKeyId: "ASIAPROC", secretAccessKey: "proc-secret", sessionToken: "proc-token",
                    expiration: Date(timeIntervalSince1970: 1_767_229_200)))
    }

    @Test func treatsOutputWithoutExpirationAsLongTerm() async throws {
        let command = try script("creds.sh", printing: #"{"Version": 1, "AccessKeyId": "AKIAPROC", "SecretAccessKey": "s"}"#)
        let credentials = try await ProcessCredentialProvider(command: command, environment: [:]).credentials()
        #expect(credentials.expiration == nil)
        #expect(credentials.sessionToken == nil)
    }

    @Test func runsThroughTheShellWithTheGivenEnvironmentAndArguments() async throws {
        let path = try folder.write(
            "dir with space/creds.sh",
            """
            printf '{"Version":1,"AccessKeyId":"%s","SecretAccessKey":"%s"}' "$1" "$CHATCTL_TEST_SECRET"
            """)
        let provider = ProcessCredentialProvider(
            command: "/bin/sh '\(path)' AKIDARG", environment: ["CHATCTL_TEST_SECRET": "from-env", "PATH": "/usr/bin:/bin"])
        let credentials = try await provider.credentials()
        #expect(credentials.accessKeyId == "AKIDARG")
        #expect(credentials.secretAccessKey == "from-env")
        #expect(provider.description == "ProcessCredentialProvider(/bin/sh)")
    }

    @Test func namesTheProgramAndItsExitStatusButNotItsOutput() async throws {
        let command = try script(
            "fail.sh", printing: #"{"Version": 1, "AccessKeyId": "AKID", "SecretAccessKey": "leaked-secret"}"#, status: 3)
        let failure = await error(ProcessCredentialProvider(command: "\(command) --password hunter2", environment: [:], source: "profile p"))
        #expect(failure?.kind == .failed)
        #expect(failure?.description == "profile p: credential_process \"sh\" exited with status 3")
        #expect(failure?.description.contains("leaked-secret") == false)
        #expect(failure?.description.contains("hunter2") == false)
    }

    @Test func reportsAMissingProgramAsItsShellExitStatus() async {
        let failure = await error(ProcessCredentialProvider(command: "/nonexistent/get-creds 2>/dev/null", environment: [:]))
        #expect(failure?.description == "credential_process: credential_process \"/nonexistent/get-creds\" exited with status 127")
    }

    struct OutputCase: CustomTestStringConvertible, Sendable {
        var output: String
        var problem: String
        var testDescription: String { problem }
    }

    @Test(arguments: [
        OutputCase(output: "AccessKeyId=AKID secret=not-json-secret", problem: "is not JSON (40 bytes)"),
        OutputCase(output: "[1, 2]", problem: "is not a JSON object"),
        OutputCase(output: #"{"Version": 2, "AccessKeyId": "A", "SecretAccessKey": "S"}"#, problem: "has Version 2, not 1"),
        OutputCase(output: #"{"AccessKeyId": "A", "SecretAccessKey": "S"}"#, problem: "has no Version"),
        OutputCase(output: #"{"Version": 1, "AccessKeyId": "A"}"#, problem: "has no SecretAccessKey"),
        OutputCase(output: #"{"Version": 1, "AccessKeyId": 7, "SecretAccessKey": "S"}"#, problem: "has a AccessKeyId that is not a string"),
        OutputCase(
            output: #"{"Version": 1, "AccessKeyId": "A", "SecretAccessKey": "S", "Expiration": "soon"}"#,
            problem: "has an Expiration that is not an ISO 8601 timestamp"),
    ])
    func explainsUnusableOutputWithoutQuotingIt(_ testCase: OutputCase) async throws {
        let command = try script("creds.sh", printing: testCase.output)
        let failure = await error(ProcessCredentialProvider(command: command, environment: [:], source: "profile p"))
        #expect(failure?.kind == .failed)
        #expect(failure?.description == "profile p: credential_process \"sh\" printed output that \(testCase.problem)")
        #expect(failure?.description.contains("not-json-secret") == false)
    }

    @Test(.timeLimit(.minutes(1)))
    func stopsACommandThatRunsTooLong() async throws {
        // The command records its process id, then sleeps far longer than the test may run:
        // only the provider's timeout can end the call, and it must stop the command too.
        let pidFile = folder.url.appendingPathComponent("pid").path
        let failure = await error(
            ProcessCredentialProvider(command: "echo $$ > '\(pidFile)'; exec sleep 3600", environment: [:], timeout: 2))
        #expect(failure?.description == "credential_process: credential_process \"echo\" did not finish within 2 s")
        let pid = try #require(Int32(String(decoding: try Data(contentsOf: URL(fileURLWithPath: pidFile)), as: UTF8.self)
            .trimmingCharacters(in: .whitespacesAndNewlines)))
        // Stopped and reaped: signal 0 then finds no such process.
        while kill(pid, 0) == 0 {
            try await Task.sleep(for: .milliseconds(20))
        }
        #expect(errno == ESRCH)
    }

    @Test func rejectsAnEmptyCommand() async {
        let failure = await error(ProcessCredentialProvider(command: "  ", environment: [:]))
        #expect(failure?.description == "credential_process: credential_process is empty")
    }
}
