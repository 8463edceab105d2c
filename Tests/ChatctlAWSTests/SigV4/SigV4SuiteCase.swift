import ChatctlAWS
import Foundation
import Testing

/// One case folder of the aws-c-auth SigV4 suite in `Fixtures/sigv4/` (see ORIGIN.md there).
struct SigV4SuiteCase: CustomTestStringConvertible, Sendable {
    /// The `context.json` of a case; see the suite's README.md for the meaning of each field.
    struct Context: Decodable, Sendable {
        struct Credentials: Decodable, Sendable {
            var accessKeyId: String
            var secretAccessKey: String
            var token: String?
        }
        var credentials: Credentials
        var expirationInSeconds: Int
        var normalize: Bool
        var omitSessionToken: Bool?
        var region: String
        var service: String
        var signBody: Bool
        var timestamp: String
    }

    var name: String
    var folder: URL

    var testDescription: String { name }

    static let root = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("Fixtures/sigv4")

    /// Every case folder, sorted by name.
    static let all: [SigV4SuiteCase] = {
        let names = (try? FileManager.default.contentsOfDirectory(atPath: root.path)) ?? []
        return names.sorted().compactMap { name in
            let folder = root.appendingPathComponent(name)
            guard FileManager.default.fileExists(atPath: folder.appendingPathComponent("context.json").path) else {
                return nil
            }
            return SigV4SuiteCase(name: name, folder: folder)
        }
    }()

    /// The bytes of a file of the case, with any `\r` removed (as the upstream harness does).
    func bytes(_ file: String) throws -> [UInt8] {
        try Array(Data(contentsOf: folder.appendingPathComponent(file))).filter { $0 != UInt8(ascii: "\r") }
    }

    func text(_ file: String) throws -> String {
        try String(decoding: bytes(file), as: UTF8.self)
    }

    func context() throws -> Context {
        let decoder = JSONDecoder()
        decoder.keyDecodingStrategy = .convertFromSnakeCase
        return try decoder.decode(Context.self, from: Data(bytes("context.json")))
    }

    /// The signer the context describes. `sign_body: true` maps to adding the
    /// `X-Amz-Content-SHA256` header; the payload hash is always the SHA-256 of the body,
    /// which for the 36 `sign_body: false` cases is the body-less empty hash the suite expects.
    func signer(keyCache: SigningKeyCache = SigningKeyCache()) throws -> SigV4Signer {
        let context = try context()
        let credentials = AWSCredentials(
            accessKeyId: context.credentials.accessKeyId, secretAccessKey: context.credentials.secretAccessKey,
            sessionToken: context.credentials.token)
        let options = SigV4Signer.Options(
            normalizesPath: context.normalize, doubleEncodesPath: true, payloadSigning: .bodyHash,
            addsContentSHA256Header: context.signBody, omitsSessionToken: context.omitSessionToken ?? false)
        return SigV4Signer(
            credentials: credentials, region: context.region, service: context.service, options: options,
            keyCache: keyCache)
    }

    func signingDate() throws -> Date {
        let stamp = try context().timestamp
        guard let date = ISO8601DateFormatter().date(from: stamp) else {
            throw SuiteFormatError(file: "context.json", reason: "timestamp \(stamp) is not ISO 8601")
        }
        return date
    }

    func request(_ file: String = "request.txt") throws -> HTTPRequest {
        try RequestText.parse(bytes(file), file: file)
    }
}

struct SuiteFormatError: Error, CustomStringConvertible {
    var file: String
    var reason: String
    var description: String { "\(file): \(reason)" }
}

/// Reads the suite's `request.txt` format (see the suite README): a request line whose
/// target may contain spaces, `Name:value` header lines, whitespace-led continuation
/// lines (obs-fold, kept in the value after a `\n`), then an optional blank line and body.
enum RequestText {
    static func parse(_ bytes: [UInt8], file: String) throws -> HTTPRequest {
        var lines: [[UInt8]] = []
        var body: [UInt8] = []
        var start = 0
        var index = 0
        while index < bytes.count {
            if bytes[index] == UInt8(ascii: "\n") {
                let line = Array(bytes[start..<index])
                start = index + 1
                if line.isEmpty, !lines.isEmpty {
                    body = Array(bytes[start...])
                    break
                }
                lines.append(line)
            }
            index += 1
        }
        if start < bytes.count, body.isEmpty, index >= bytes.count {
            lines.append(Array(bytes[start...]))
        }
        guard let requestLine = lines.first.map({ String(decoding: $0, as: UTF8.self) }),
            let firstSpace = requestLine.firstIndex(of: " "),
            let versionStart = requestLine.range(of: " HTTP/", options: .backwards)
        else {
            throw SuiteFormatError(file: file, reason: "no request line")
        }
        let method = String(requestLine[..<firstSpace])
        let target = String(requestLine[requestLine.index(after: firstSpace)..<versionStart.lowerBound])
        var path = target
        var query: String?
        if let mark = target.firstIndex(of: "?") {
            path = String(target[..<mark])
            query = String(target[target.index(after: mark)...])
        }

        var fields: [HTTPHeader] = []
        for raw in lines.dropFirst() {
            let line = String(decoding: raw, as: UTF8.self)
            if let first = line.first, first == " " || first == "\t" {
                guard !fields.isEmpty else {
                    throw SuiteFormatError(file: file, reason: "continuation line before any header")
                }
                fields[fields.count - 1].value += "\n" + line
                continue
            }
            guard let colon = line.firstIndex(of: ":") else {
                throw SuiteFormatError(file: file, reason: "header line without a colon: \(line)")
            }
            fields.append(
                HTTPHeader(name: String(line[..<colon]), value: String(line[line.index(after: colon)...])))
        }
        let host = HTTPHeaders(fields)["host"] ?? "example.amazonaws.com"
        return HTTPRequest(
            method: method, scheme: "https", authority: host, path: path, query: query,
            headers: HTTPHeaders(fields), body: body)
    }
}
