import CLibFuzzer
import ChatctlAWS
import Foundation
import FuzzSupport

/// libFuzzer target: SigV4 canonicalisation, signing and verification of arbitrary requests.
///
/// Input: one flags byte (0x01 no path normalisation, 0x02 no double encoding, 0x04
/// unsigned payload, 0x08 add `X-Amz-Content-SHA256`, 0x10 session token, 0x20 `http`,
/// 0x30 both: token added after signing, top two bits: the signing time), then a request as text (``FuzzRequestText``: request line,
/// header lines, empty line, body), so the aws-c-auth suite's `request.txt` files are seeds.
///
/// Oracles:
/// - the canonical URI and query hold only unreserved bytes, `/` (URI), `=`/`&` (query) and
///   `%XY` escapes with upper-case hex, and path normalisation is idempotent;
/// - a request we sign passes our own ``SigV4Verifier`` when its header names are tokens
///   and the verifier can know the payload hash (the body's, or `UNSIGNED-PAYLOAD`
///   announced in `X-Amz-Content-SHA256`): what the emulator relies on.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzSigV4Canonicalisation(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
    SigV4Target.run(Array(UnsafeBufferPointer(start: data, count: size)))
    return 0
}

/// Starts libFuzzer; SwiftPM links this as `main` (see CLibFuzzer/shim.h).
@_cdecl("FuzzSigV4Canonicalisation_main")
public func fuzzSigV4CanonicalisationMain(_ argc: CInt, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?) -> CInt {
    var argc = argc
    var argv = argv
    return LLVMFuzzerRunDriver(&argc, &argv, fuzzSigV4Canonicalisation)
}

enum SigV4Target {
    /// One cache for the process, as the client has: the fuzzer also exercises its reuse.
    static let keyCache = SigningKeyCache()

    static func run(_ bytes: [UInt8]) {
        let input = FuzzSigningInput(bytes)
        let (request, options, date) = (input.request, input.options, input.date)

        checkCanonicalParts(of: request, options: options)

        // The received request as it stands: parse whatever Authorization and X-Amz-Date it has.
        let verifier = input.verifier
        _ = try? verifier.verify(request, now: date)
        if let header = request.headers["authorization"] {
            _ = (try? SigV4Authorization(parsing: header))?.headerValue
        }
        if let amzDate = request.headers["x-amz-date"] {
            _ = SigV4Timestamp(amzDate: amzDate)
        }

        let signer = SigV4Signer(
            credentials: input.signingCredentials, region: "us-east-1", service: "service", options: options,
            keyCache: keyCache)
        let signed = signer.signing(request, at: date)
        _ = signed.canonicalRequest.description
        _ = signer.presigning(request, at: date, expiresIn: Int(input.flags))

        if input.mustVerifyOnceSigned {
            do {
                _ = try verifier.verify(signed.signedRequest, now: date)
            } catch {
                fatalError("a request we signed fails our verification: \(error)\n\(signed.canonicalRequest.text)")
            }
        }
    }

    static func checkCanonicalParts(of request: HTTPRequest, options: SigV4Signer.Options) {
        let normalized = CanonicalRequest.normalizedPath(request.path)
        precondition(CanonicalRequest.normalizedPath(normalized) == normalized, "normalisation is not idempotent")
        let uri = CanonicalRequest.canonicalURI(
            path: request.path, normalize: options.normalizesPath, doubleEncode: options.doubleEncodesPath)
        precondition(uri.hasPrefix("/"), "canonical URI without a leading /")
        precondition(isEncoded(uri, extra: "/"), "canonical URI not encoded: \(uri)")
        let query = CanonicalRequest.canonicalQueryString(query: request.query)
        precondition(isEncoded(query, extra: "=&"), "canonical query not encoded: \(query)")
        for header in CanonicalRequest.canonicalHeaders(request.headers) {
            precondition(header.name == header.name.lowercased(), "canonical header name not lower case")
            precondition(CanonicalRequest.canonicalHeaderValue(header.value) == header.value, "value not canonical")
        }
    }

    /// Whether `text` holds only unreserved bytes, the bytes of `extra` and `%XY` with upper-case hex.
    static func isEncoded(_ text: String, extra: String) -> Bool {
        let bytes = Array(text.utf8)
        let allowed = Set(Array("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-._~".utf8) + Array(extra.utf8))
        let hex = Set(Array("0123456789ABCDEF".utf8))
        var index = 0
        while index < bytes.count {
            if bytes[index] == UInt8(ascii: "%") {
                guard index + 2 < bytes.count, hex.contains(bytes[index + 1]), hex.contains(bytes[index + 2]) else {
                    return false
                }
                index += 3
            } else {
                guard allowed.contains(bytes[index]) else { return false }
                index += 1
            }
        }
        return true
    }
}
