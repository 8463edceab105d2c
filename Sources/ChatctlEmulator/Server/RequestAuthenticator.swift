import ChatctlAWS
import Foundation

/// Checks a request against its route's ``RouteAuthentication``, after routing.
struct RequestAuthenticator: Sendable {
    private let configuration: EmulatorConfiguration
    /// The verifier of Connect's signing name, built once (it caches signing keys).
    private let connectVerifier: SigV4Verifier

    init(configuration: EmulatorConfiguration) {
        self.configuration = configuration
        connectVerifier = Self.verifier(signingName: "connect", configuration: configuration)
    }

    private static func verifier(signingName: String, configuration: EmulatorConfiguration) -> SigV4Verifier {
        let credentials = configuration.credentials
        return SigV4Verifier(
            service: signingName, region: configuration.region, allowedSkew: configuration.allowedClockSkew
        ) { accessKeyID in
            accessKeyID == credentials.accessKeyID ? credentials.secretAccessKey : nil
        }
    }

    /// The outcome: the bearer token for a bearer route, or the error to answer.
    enum Outcome: Sendable, Equatable {
        case accepted(bearerToken: String?)
        case refused(ConnectError)
    }

    /// Checks `request` as `authentication` says.
    ///
    /// - Parameters:
    ///   - now: the wall clock (signatures are dated with real time, not emulated time).
    func check(_ request: HTTPRequest, _ authentication: RouteAuthentication, now: Date) -> Outcome {
        switch authentication {
        case .none:
            return .accepted(bearerToken: nil)
        case .bearer:
            guard let token = request.headers["x-amz-bearer"], !token.isEmpty else {
                return .refused(
                    ConnectError(
                        code: "AccessDeniedException", httpStatus: 403,
                        message: "The X-Amz-Bearer header is missing."))
            }
            return .accepted(bearerToken: token)
        case .sigV4(let name):
            let verifier = name == "connect" ? connectVerifier : Self.verifier(signingName: name, configuration: configuration)
            return verifySignature(request, verifier: verifier, now: now).map(Outcome.refused) ?? .accepted(bearerToken: nil)
        }
    }

    /// Verifies the SigV4 signature: the emulator's access key, the scope's service and
    /// the configured region, a signing time within the allowed skew, `host` and
    /// `x-amz-date` among the signed headers, and the payload hash.
    ///
    /// - Returns: the error to answer, or `nil` when the signature is good.
    private func verifySignature(_ request: HTTPRequest, verifier: SigV4Verifier, now: Date) -> ConnectError? {
        if let header = request.headers["authorization"],
            let authorization = try? SigV4Authorization(parsing: header),
            authorization.signedHeaders.contains("host"), !authorization.signedHeaders.contains("x-amz-date")
        {
            let error = SigV4VerificationError.incompleteSignature(
                "'X-Amz-Date' must be a 'SignedHeader' in the AWS Authorization.")
            return ConnectError(code: error.code, httpStatus: error.httpStatus, message: error.message)
        }
        do {
            _ = try verifier.verify(request, now: now)
            return nil
        } catch {
            return ConnectError(code: error.code, httpStatus: error.httpStatus, message: error.message)
        }
    }
}
