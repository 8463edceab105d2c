import ChatctlAWS
import Foundation
import Testing

@Suite struct SharedConfigFileTests {
    private func parse(_ text: String, _ kind: SharedConfigFile.Kind = .config) throws(SharedConfigFileError) -> SharedConfigFile {
        try SharedConfigFile.parse(text, kind: kind, path: "~/.aws/config")
    }

    @Test func readsProfilesServicesAndNestedSettings() throws {
        let file = try parse(
            """
            [default]
            region = eu-west-2
            services = local

            [profile dev]
            region=us-east-1
            s3 =
              max_concurrent_requests = 20
            role_arn = arn:aws:iam::123456789012:role/dev

            [services local]
            connect =
              endpoint_url = http://127.0.0.1:9000
            sts =
              endpoint_url = http://127.0.0.1:9001
            """)
        #expect(file.profiles.keys.sorted() == ["default", "dev"])
        #expect(file.profiles["default"]?["region"] == "eu-west-2")
        #expect(file.profiles["dev"]?["region"] == "us-east-1")
        #expect(file.profiles["dev"]?.subProperty("s3", "max_concurrent_requests") == "20")
        #expect(file.profiles["dev"]?["role_arn"] == "arn:aws:iam::123456789012:role/dev")
        #expect(file.services["local"]?.subProperty("connect", "endpoint_url") == "http://127.0.0.1:9000")
        #expect(file.services["local"]?.subProperty("sts", "endpoint_url") == "http://127.0.0.1:9001")
    }

    @Test func stripsCommentsAsTheSDKsDo() throws {
        let file = try parse(
            """
            # a comment
            ; another comment
            [profile a] # comment after a header
            region = us-west-2 # trailing comment
            output = json;not-a-comment
            endpoint_url = http://host/#fragment-like
            note = value	; tab before the semicolon
               # an indented comment line
            """)
        let profile = try #require(file.profiles["a"])
        #expect(profile["region"] == "us-west-2")
        #expect(profile["output"] == "json;not-a-comment")
        #expect(profile["endpoint_url"] == "http://host/#fragment-like")
        #expect(profile["note"] == "value")
    }

    @Test func joinsContinuationLinesWithNewlines() throws {
        let file = try parse(
            """
            [default]
            description = first
              second
            \tthird
            region = us-east-1
            """)
        #expect(file.profiles["default"]?["description"] == "first\nsecond\nthird")
        #expect(file.profiles["default"]?["region"] == "us-east-1")
    }

    @Test func prefersProfileDefaultOverDefault() throws {
        let file = try parse(
            """
            [default]
            region = us-east-1
            [profile default]
            region = eu-central-1
            """)
        #expect(file.profiles["default"]?["region"] == "eu-central-1")
    }

    @Test func ignoresConfigSectionsWithoutTheProfilePrefix() throws {
        let file = try parse(
            """
            [dev]
            region = us-east-1
            [sso-session corp]
            sso_region = us-east-1
            [profile   spaced]
            region = ap-south-1
            """)
        #expect(file.profiles.keys.sorted() == ["spaced"])
    }

    @Test func readsCredentialsFileSectionsAsProfileNames() throws {
        let file = try parse(
            """
            [default]
            aws_access_key_id = AKIDDEFAULT
            [dev]
            aws_access_key_id = AKIDDEV
            """, .credentials)
        #expect(file.profiles["default"]?["aws_access_key_id"] == "AKIDDEFAULT")
        #expect(file.profiles["dev"]?["aws_access_key_id"] == "AKIDDEV")
        #expect(file.services.isEmpty)
    }

    @Test func matchesKeysCaseInsensitivelyAndLetLaterValuesWin() throws {
        let file = try parse(
            """
            [profile a]
            Region = us-east-1
            REGION = us-west-1
            [profile a]
            output = text
            """)
        #expect(file.profiles["a"]?["region"] == "us-west-1")
        #expect(file.profiles["a"]?["output"] == "text")
    }

    @Test func acceptsCRLFLineEndingsAndAByteOrderMark() throws {
        let file = try parse("\u{FEFF}[default]\r\nregion = us-east-1\r\n")
        #expect(file.profiles["default"]?["region"] == "us-east-1")
    }

    struct SyntaxCase: CustomTestStringConvertible, Sendable {
        var text: String
        var expected: String
        var testDescription: String { expected }
    }

    @Test(arguments: [
        SyntaxCase(text: "region = us-east-1\n", expected: "~/.aws/config:1: property appears before any [section] header"),
        SyntaxCase(text: "[default]\n\n[profile broken\n", expected: "~/.aws/config:3: section header has no closing \"]\""),
        SyntaxCase(text: "[default]\nthis line has no equals sign\n", expected: "~/.aws/config:2: expected \"[section]\" or \"key = value\""),
        SyntaxCase(text: "[default]\n= value\n", expected: "~/.aws/config:2: expected \"[section]\" or \"key = value\""),
        SyntaxCase(
            text: "[services s]\nconnect =\n  endpoint_url\n", expected: "~/.aws/config:3: expected \"[section]\" or \"key = value\""),
    ])
    func reportsSyntaxErrorsAtTheirLine(_ testCase: SyntaxCase) {
        #expect(throws: SharedConfigFileError.self) { try parse(testCase.text) }
        do {
            _ = try parse(testCase.text)
        } catch {
            #expect(error.description == testCase.expected)
        }
    }

    @Test func neverShowsSecretValuesWhenPrinted() throws {
        let file = try parse(
            """
            [default]
            aws_access_key_id = AKIDVISIBLE
            aws_secret_access_key = super-secret-value
            aws_session_token = session-token-value
            """, .credentials)
        let section = try #require(file.profiles["default"])
        var dumped = ""
        dump(section, to: &dumped)
        var dumpedFile = ""
        dump(file, to: &dumpedFile)
        for text in [section.description, section.debugDescription, "\(section)", dumped, file.description, dumpedFile] {
            #expect(!text.contains("super-secret-value"), "\(text)")
            #expect(!text.contains("session-token-value"), "\(text)")
        }
        #expect(section.description.contains("aws_secret_access_key = (redacted)"))
    }

    @Test func neverQuotesTheOffendingLineInErrors() {
        do {
            _ = try parse("[default]\nsuper-secret-value\n", .credentials)
            Issue.record("expected an error")
        } catch {
            #expect(!error.description.contains("super-secret-value"))
        }
    }
}
