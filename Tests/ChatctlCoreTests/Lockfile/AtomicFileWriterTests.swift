import Foundation
import Testing
@testable import ChatctlCore

@Suite struct AtomicFileWriterTests {
    @Test func flushesTheTemporaryFileThenRenamesThenFlushesTheFolder() throws {
        let folder = try TemporaryFolder()
        let path = folder.path("chatctl.lock.json")
        let fileSystem = RecordingFileSystem()
        try LockfileStore(path: path, fileSystem: fileSystem).write(LockfileCodecTests.sample)
        let calls = fileSystem.calls
        #expect(calls.count == 6, "\(calls)")
        let temporary = try #require(calls.first?.split(separator: " ").last.map(String.init))
        #expect(temporary.hasPrefix(folder.path(".chatctl.lock.json.chatctl-tmp-\(getpid())-")))
        #expect(calls == [
            "createNew 644 \(temporary)", "write \(temporary)", "fsync \(temporary)", "close \(temporary)",
            "rename \(temporary) -> \(path)", "fsyncFolder \(folder.url.path)",
        ])
        #expect(try LockfileStore(path: path).read() == LockfileCodecTests.sample)
    }

    @Test func aFailedFlushLeavesTheOldFileAndNoTemporaryFile() throws {
        let folder = try TemporaryFolder()
        let path = folder.path("chatctl.lock.json")
        try LockfileStore(path: path).write(LockfileCodecTests.sample)
        var next = LockfileCodecTests.sample
        next.serial += 1
        #expect(throws: LockfileError.self) {
            try LockfileStore(path: path, fileSystem: RecordingFileSystem(failing: "fsync")).write(next)
        }
        #expect(try LockfileStore(path: path).read() == LockfileCodecTests.sample)
        #expect(try FileManager.default.contentsOfDirectory(atPath: folder.url.path) == ["chatctl.lock.json"])
    }

    /// A file written from pieces (a saved plan) is the pieces in order; a piece that cannot
    /// be written, or a producer that gives up part way, leaves the old file as it was and
    /// no temporary file.
    @Test func writesAFileFromPiecesOrLeavesTheOldOne() throws {
        let folder = try TemporaryFolder()
        let path = folder.path("plan.json")
        let pieces = (0..<5).map { Array("{\"piece\": \($0)}\n".utf8) }
        try AtomicFileWriter().write(to: path, permissions: 0o644) { write throws(FileSystemError) in
            for piece in pieces { try write(piece) }
        }
        #expect(try Array(Data(contentsOf: URL(fileURLWithPath: path))) == pieces.flatMap { $0 })

        // The third write fails.
        #expect(throws: FileSystemError.self) {
            try AtomicFileWriter(fileSystem: RecordingFileSystem(failing: "write", fromOccurrence: 3)).write(
                to: path, permissions: 0o644
            ) { write throws(FileSystemError) in
                for piece in pieces.reversed() { try write(piece) }
            }
        }
        // The producer gives up after two pieces.
        #expect(throws: FileSystemError.self) {
            try AtomicFileWriter().write(to: path, permissions: 0o644) { write throws(FileSystemError) in
                try write(pieces[4])
                try write(pieces[3])
                throw FileSystemError(action: "render the plan", path: path, reason: "gave up")
            }
        }
        #expect(try Array(Data(contentsOf: URL(fileURLWithPath: path))) == pieces.flatMap { $0 })
        #expect(try FileManager.default.contentsOfDirectory(atPath: folder.url.path) == ["plan.json"])
    }

    @Test func createsTheFileWithItsPermissionsFromTheStart() throws {
        let folder = try TemporaryFolder()
        let path = folder.path("secret.json")
        let fileSystem = RecordingFileSystem()
        try AtomicFileWriter(fileSystem: fileSystem).write(Array("{}\n".utf8), to: path, permissions: 0o600)
        #expect(fileSystem.calls.first?.hasPrefix("createNew 600 ") == true)
        let mode = try FileManager.default.attributesOfItem(atPath: path)[.posixPermissions] as? Int
        #expect(mode == 0o600)
    }

    @Test func writesThroughASymbolicLinkAndLocksItsTarget() throws {
        let folder = try TemporaryFolder()
        try FileManager.default.createDirectory(atPath: folder.path("state"), withIntermediateDirectories: true)
        let target = folder.path("state/real.lock.json")
        let link = folder.path("chatctl.lock.json")
        try FileManager.default.createSymbolicLink(atPath: link, withDestinationPath: "state/real.lock.json")
        try LockfileStore(path: link).write(LockfileCodecTests.sample)
        #expect(try FileManager.default.destinationOfSymbolicLink(atPath: link) == "state/real.lock.json")
        #expect(try LockfileStore(path: target).read() == LockfileCodecTests.sample)
        // The lock is the target's: taking it through the link excludes taking it directly.
        let held = try LockfileLock.acquire(for: link, timeout: 0)
        defer { held.release() }
        #expect(held.path == target + ".lock")
        #expect(throws: LockfileError.self) { try LockfileLock.acquire(for: target, timeout: 0) }
    }

    /// A FIFO (and, the same, a device such as `/dev/null`): replacing it by a file would
    /// remove it, and as root remove a device of `/dev`. A report writer writes through it;
    /// the lockfile's writer refuses it; neither replaces it, directly or through a link.
    @Test func aFIFOIsWrittenThroughOrRefusedButNeverReplaced() throws {
        let folder = try TemporaryFolder()
        let fifo = folder.path("reports.fifo")
        #expect(mkfifo(fifo, 0o600) == 0)
        let link = folder.path("report.xml")
        try FileManager.default.createSymbolicLink(atPath: link, withDestinationPath: "reports.fifo")
        // The reader's end, opened first without waiting, so the writer's open does not wait.
        let reader = open(fifo, O_RDONLY | O_NONBLOCK)
        #expect(reader >= 0)
        defer { close(reader) }
        let fileSystem = RecordingFileSystem()
        let writer = AtomicFileWriter(fileSystem: fileSystem, specialFiles: .writtenThrough)
        try writer.checkWritable(link)
        try writer.write(Array("<testsuites/>".utf8), to: link, permissions: 0o600)
        #expect(fileSystem.calls == ["openExisting \(link)", "write \(link)", "close \(link)"])
        var buffer = [UInt8](repeating: 0, count: 64)
        let count = read(reader, &buffer, buffer.count)
        #expect(count == 13 && String(decoding: buffer.prefix(max(0, count)), as: UTF8.self) == "<testsuites/>")
        #expect(PosixFileSystem().kind(of: fifo) == .special)
        #expect(try FileManager.default.destinationOfSymbolicLink(atPath: link) == "reports.fifo")
        // The lockfile's writer (and the participant outputs') refuses it, naming why.
        for path in [fifo, link] {
            #expect {
                try AtomicFileWriter().write(Array("{}".utf8), to: path, permissions: 0o644)
            } throws: { error in
                (error as? FileSystemError)?.reason.contains("it is not a regular file (a device, a FIFO or a socket)") == true
            }
            #expect(throws: FileSystemError.self) { try AtomicFileWriter().checkWritable(path) }
        }
        #expect(PosixFileSystem().kind(of: fifo) == .special)
        #expect(try FileManager.default.contentsOfDirectory(atPath: folder.url.path).sorted() == ["report.xml", "reports.fifo"])
    }

    @Test func aFolderIsNeverReplacedByAFile() throws {
        let folder = try TemporaryFolder()
        try FileManager.default.createDirectory(atPath: folder.path("reports"), withIntermediateDirectories: true)
        for specialFiles in [AtomicFileWriter.SpecialFiles.refused, .writtenThrough] {
            #expect {
                try AtomicFileWriter(specialFiles: specialFiles).write([1], to: folder.path("reports"), permissions: 0o600)
            } throws: { error in
                (error as? FileSystemError)?.reason == "it is a folder"
            }
        }
        #expect(PosixFileSystem().kind(of: folder.path("reports")) == .folder)
    }

    @Test func refusesASymbolicLinkLoopClearly() throws {
        let folder = try TemporaryFolder()
        let path = folder.path("chatctl.lock.json")
        try FileManager.default.createSymbolicLink(atPath: path, withDestinationPath: "chatctl.lock.json")
        #expect {
            try LockfileStore(path: path).write(Lockfile())
        } throws: { error in
            (error as? LockfileError)?.diagnostic.message.contains("too many levels of symbolic links") == true
        }
    }

    @Test func removesTheTemporaryFilesOfKilledRunsOnly() throws {
        let folder = try TemporaryFolder()
        let path = folder.path("chatctl.lock.json")
        // Int32.max is above any pid_max: that process cannot be running.
        try folder.write(".chatctl.lock.json.chatctl-tmp-\(Int32.max)-1", "torn")
        try folder.write(".chatctl.lock.json.chatctl-tmp-1-1", "pid 1 is always running")
        try folder.write(".other.json.chatctl-tmp-\(Int32.max)-1", "another file's")
        try folder.write("notes.txt", "not ours")
        try LockfileStore(path: path).removeLeftovers()
        #expect(try Set(FileManager.default.contentsOfDirectory(atPath: folder.url.path)) == [
            ".chatctl.lock.json.chatctl-tmp-1-1", ".other.json.chatctl-tmp-\(Int32.max)-1", "notes.txt",
        ])
    }
}
