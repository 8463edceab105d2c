import CLibFuzzer
import ChatctlAWS
import ChatctlEmulator
import ChatctlJSON
import Dispatch
import Foundation
import FuzzSupport

/// libFuzzer target: the emulator's request handling, in process (``InProcessEmulator``):
/// the signature check, routing, the admin API, throttling, faults, the JSON body against
/// the Connect model, the rules between members and the behaviour behind them.
///
/// Input: one flags byte, then up to eight requests as text (``FuzzRequestText``)
/// separated by NUL bytes, sent in order to a fresh emulator with a fixed clock and seed;
/// `{{contact}}` in a body stands for the ContactId of the last contact started.
/// Flags: 0x01 sign each request with the emulator's credentials (so bodies reach the
/// model checks), 0x02 throttle (the default quotas), 0x04 inject faults, 0x08 only known
/// instances and flows, 0x10 a 512-byte body limit.
///
/// Oracles: every answer is a restJson1 answer (a JSON body, `X-Amzn-ErrorType` on every
/// error), and a request we signed, whose header names are tokens, never fails the
/// signature check: the client's signer and the emulator's verifier agree.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzEmulatorRequests(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
    let bytes = Array(UnsafeBufferPointer(start: data, count: size))
    let done = DispatchSemaphore(value: 0)
    Task {
        await EmulatorTarget.run(bytes)
        done.signal()
    }
    done.wait()
    return 0
}

/// Starts libFuzzer; SwiftPM links this as `main` (see CLibFuzzer/shim.h).
@_cdecl("FuzzEmulatorRequests_main")
public func fuzzEmulatorRequestsMain(_ argc: CInt, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?) -> CInt {
    var argc = argc
    var argv = argv
    return LLVMFuzzerRunDriver(&argc, &argv, fuzzEmulatorRequests)
}

enum EmulatorTarget {
    static let origin = Date(timeIntervalSince1970: 1_767_225_600)  // 2026-01-01T00:00:00Z
    static let instance = "12345678-1234-1234-1234-123456789012"
    static let flow = "846ec553-a005-41c0-8341-0123456789ab"
    static let signatureErrors: Set<String> = [
        "MissingAuthenticationTokenException", "IncompleteSignatureException", "UnrecognizedClientException",
        "InvalidSignatureException",
    ]

    static func run(_ bytes: [UInt8]) async {
        let flags = bytes.first ?? 0
        let configuration = EmulatorConfiguration(
            tps: flags & 0x02 == 0 ? 0 : 5, stopTPS: flags & 0x02 == 0 ? 0 : 10,
            instances: flags & 0x08 == 0 ? [] : [instance], flows: flags & 0x08 == 0 ? [] : [flow],
            faultRate: flags & 0x04 == 0 ? 0 : 0.3, seed: 42, maxBodyBytes: flags & 0x10 == 0 ? 1 << 20 : 512)
        let emulator: InProcessEmulator
        do {
            emulator = try InProcessEmulator(configuration, clock: ManualEmulatorClock(origin))
        } catch {
            fatalError("\(error)")
        }
        let signer = SigV4Signer(
            credentials: configuration.credentials.awsCredentials, region: configuration.region, service: "connect",
            keyCache: SigningKeyCache())
        var contactID = ""
        for part in bytes.dropFirst().split(separator: 0, maxSplits: 7, omittingEmptySubsequences: false) {
            let text = FuzzRequestText(part)
            var request = HTTPRequest(
                method: text.method, scheme: "http", authority: text.headers["host"] ?? "127.0.0.1:4566",
                path: text.path, query: text.query, headers: text.headers,
                body: FuzzRequestText.substitutingContact(contactID, in: text.body))
            let signs = flags & 0x01 != 0
            if signs {
                request = signer.sign(request, at: origin)
            }
            guard let response = await emulator.respond(
                method: request.method, target: request.target, headers: request.headers, body: request.body)
            else { continue }
            let json = check(response, signed: signs && text.hasTokenHeaderNames, path: request.path)
            if response.status == 200, let id = json["ContactId"]?.stringValue {
                contactID = id
            }
        }
    }

    /// Checks the oracles; returns the parsed answer.
    @discardableResult
    static func check(_ response: HTTPResponse, signed: Bool, path: String) -> JSONValue {
        let json: JSONValue
        do {
            json = try JSONParser.parse(response.body)
        } catch {
            fatalError("answer \(response.status) is not JSON: \(response.bodyText)")
        }
        guard path != "/_emulator", !path.hasPrefix("/_emulator/") else { return json }
        if response.status != 200 {
            guard let code = response.headers["x-amzn-errortype"], json["message"]?.stringValue != nil else {
                fatalError("error answer without X-Amzn-ErrorType or message: \(response.status) \(response.bodyText)")
            }
            precondition(!(signed && signatureErrors.contains(code)), "a request we signed was refused: \(response.bodyText)")
        }
        return json
    }
}
