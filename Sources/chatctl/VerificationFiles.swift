import ArgumentParser
import ChatctlCore
import ChatctlJSON
import Foundation

/// The report flags `verify` and `apply --verify` share: `--junit FILE` and
/// `--transcripts DIR` (docs/verify.md, "Reports").
struct VerificationReportOptions: ParsableArguments {
    @Option(name: .long, help: "Write a JUnit XML report of the conversations to this file (0600).")
    var junit: String?

    @Option(name: .long, help: "Write each conversation's transcript to DIR/<profile>.transcript.json (0600).")
    var transcripts: String?

    /// Writes the JUnit file and one transcript file per conversation that ran, each 0600
    /// (a transcript is what the customer and the flow said).
    func write(_ cases: [VerificationReport.Case], startedAt: Date) throws {
        if let junit {
            try Self.writePrivate(Array(VerificationReport(cases: cases, startedAt: startedAt).junitXML().utf8), to: junit)
        }
        if let transcripts {
            do {
                try FileManager.default.createDirectory(atPath: transcripts, withIntermediateDirectories: true)
            } catch {
                throw CommandFailure(Diagnostic(
                    location: nil, code: "verify.transcripts", message: "cannot create the folder \(transcripts): \(error.localizedDescription)"))
            }
            for item in cases {
                guard case .ran(let outcome) = item.result else { continue }
                let path = (transcripts as NSString).appendingPathComponent(VerificationReport.transcriptFileName(profile: item.profile))
                try Self.writePrivate(VerificationReport.transcriptJSON(profile: item.profile, outcome: outcome), to: path)
            }
        }
    }

    /// Writes `bytes` to `path` atomically, created 0600; a device or a FIFO there (`--junit
    /// /dev/stdout`) is written through, never replaced.
    static func writePrivate(_ bytes: [UInt8], to path: String) throws {
        let folder = (path as NSString).deletingLastPathComponent
        if !folder.isEmpty { try? FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true) }
        do {
            try AtomicFileWriter(specialFiles: .writtenThrough).write(bytes, to: path, permissions: 0o600)
        } catch {
            throw CommandFailure(Diagnostic(
                location: nil, code: "verify.report",
                message: "cannot write \(Terminal.printable(path)): cannot \(error.action): \(error.reason)"))
        }
    }
}

/// How a verify run's results are printed, in each output format.
enum VerificationOutput {
    /// One line per profile.
    static func text(_ cases: [VerificationReport.Case]) -> String {
        var lines: [String] = []
        for item in cases {
            let name = Terminal.printable(item.profile)
            switch item.result {
            case .ran(let outcome):
                if let failure = outcome.failure, failure.reason == .interrupted {
                    lines.append("ERROR \(name): interrupted at step \(failure.step) (\(Terminal.printable(failure.expected)))")
                } else if let failure = outcome.failure {
                    lines.append("FAIL \(name): step \(failure.step) (\(Terminal.printable(failure.expected))) failed: \(failure.reason.rawValue): \(Terminal.printable(failure.message))")
                } else {
                    lines.append("PASS \(name) (\(outcome.transcript.count) items, \(seconds(outcome))s)")
                }
            case .error(let message): lines.append("ERROR \(name): \(Terminal.printable(message))")
            case .skipped(let message): lines.append("SKIP \(name): \(Terminal.printable(message))")
            }
        }
        let counts = summary(cases)
        lines.append("\(counts.passed) passed, \(counts.failed) failed, \(counts.errors) errors, \(counts.skipped) skipped.")
        return lines.joined(separator: "\n") + "\n"
    }

    /// `{"results": [{profile, status, failedStep?, reason?, message?}], "summary": {…}}`.
    static func json(_ cases: [VerificationReport.Case]) -> String {
        let results: [JSONValue] = cases.map { item in
            var members: [String: JSONValue] = ["profile": .string(item.profile), "file": .string(item.file)]
            switch item.result {
            case .ran(let outcome):
                members["status"] = .string(outcome.passed ? "passed" : "failed")
                members["seconds"] = .integer(seconds(outcome))
                if let failure = outcome.failure {
                    members["failedStep"] = .integer(failure.step)
                    members["reason"] = .string(failure.reason.rawValue)
                    members["expected"] = .string(failure.expected)
                    members["message"] = .string(failure.message)
                }
            case .error(let message):
                members["status"] = .string("error")
                members["message"] = .string(message)
            case .skipped(let message):
                members["status"] = .string("skipped")
                members["message"] = .string(message)
            }
            return .object(members)
        }
        let counts = summary(cases)
        return JSONWriter.pretty.string(.object([
            "results": .array(results),
            "summary": .object([
                "passed": .integer(counts.passed), "failed": .integer(counts.failed), "errors": .integer(counts.errors),
                "skipped": .integer(counts.skipped),
            ]),
        ]))
    }

    /// A table for a pull-request comment.
    static func markdown(_ cases: [VerificationReport.Case]) -> String {
        func cell(_ text: String) -> String {
            Terminal.printable(text).replacingOccurrences(of: "|", with: "\\|").replacingOccurrences(of: "\n", with: " ")
        }
        var lines = ["| Profile | Result | Details |", "| --- | --- | --- |"]
        for item in cases {
            switch item.result {
            case .ran(let outcome):
                if let failure = outcome.failure {
                    lines.append("| `\(cell(item.profile))` | ❌ failed | step \(failure.step): \(cell(failure.reason.rawValue)): \(cell(failure.message)) |")
                } else {
                    lines.append("| `\(cell(item.profile))` | ✅ passed | \(seconds(outcome))s |")
                }
            case .error(let message): lines.append("| `\(cell(item.profile))` | ⚠️ error | \(cell(message)) |")
            case .skipped(let message): lines.append("| `\(cell(item.profile))` | ⏭ skipped | \(cell(message)) |")
            }
        }
        return lines.joined(separator: "\n") + "\n"
    }

    /// GitHub Actions annotations for every failure and error, at the profile's line.
    static func github(_ cases: [VerificationReport.Case], locations: [String: SourceLocation]) -> String {
        let printer = DiagnosticPrinter(useColor: false, showSnippets: false)
        return cases.compactMap { item -> String? in
            let message: String
            switch item.result {
            case .ran(let outcome):
                guard let failure = outcome.failure else { return nil }
                message = "step \(failure.step) (\(failure.expected)) failed: \(failure.message)"
            case .error(let text): message = text
            case .skipped: return nil
            }
            return printer.github(Diagnostic(
                location: locations[item.profile], code: "verify.failed", path: nil,
                message: "\(item.profile): \(Terminal.printable(message))"))
        }.joined()
    }

    /// Whether any case failed or could not run (exit 3).
    static func hasFailures(_ cases: [VerificationReport.Case]) -> Bool {
        let counts = summary(cases)
        return counts.failed + counts.errors + counts.skipped > 0
    }

    private static func seconds(_ outcome: VerificationOutcome) -> Int {
        Int(max(0, outcome.finishedAt.timeIntervalSince(outcome.startedAt)).rounded())
    }

    private static func summary(_ cases: [VerificationReport.Case]) -> (passed: Int, failed: Int, errors: Int, skipped: Int) {
        var counts = (passed: 0, failed: 0, errors: 0, skipped: 0)
        for item in cases {
            switch item.result {
            case .ran(let outcome):
                if outcome.passed {
                    counts.passed += 1
                } else if outcome.failure?.reason.isError == true {
                    counts.errors += 1
                } else {
                    counts.failed += 1
                }
            case .error: counts.errors += 1
            case .skipped: counts.skipped += 1
            }
        }
        return counts
    }
}
