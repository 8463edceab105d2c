import Foundation
import Testing

@testable import ChatctlCore

/// Reading a file whole with `open`/`fstat`/`read` (issue 15, item 3): every byte, the
/// limit to the byte, and files whose size `fstat` does not know.
@Suite struct InputFileSystemTests {
    @Test(arguments: [0, 1, 4095, 4096, 4097, 100_000])
    func readsEveryByteOfAFile(size: Int) throws {
        let folder = try TemporaryFolder()
        let path = folder.path("f.yaml")
        let bytes = (0..<size).map { UInt8(truncatingIfNeeded: $0 &* 31 &+ 7) }
        #expect(FileManager.default.createFile(atPath: path, contents: Data(bytes)))
        #expect(InputFileSystem.contents(of: path, limit: 1_000_000) == .bytes(bytes))
    }

    @Test func readsAFileOfExactlyTheLimitAndRefusesOneByteMore() throws {
        let folder = try TemporaryFolder()
        let path = folder.path("f.yaml")
        #expect(FileManager.default.createFile(atPath: path, contents: Data(repeating: 65, count: 1000)))
        #expect(InputFileSystem.contents(of: path, limit: 1000) == .bytes([UInt8](repeating: 65, count: 1000)))
        #expect(InputFileSystem.contents(of: path, limit: 999) == .tooLarge(size: 1000))
    }

    /// A file `fstat` gives no size for (procfs says 0) is read to its end all the same: the
    /// array grows as the bytes come.
    @Test func readsAFileWhoseSizeIsUnknownToItsEnd() throws {
        let path = "/proc/self/maps"
        try #require(FileManager.default.fileExists(atPath: path))
        guard case .bytes(let bytes) = InputFileSystem.contents(of: path, limit: 32 * 1024 * 1024) else {
            Issue.record("not read")
            return
        }
        // Far more than the one byte the array starts with; whole lines, to the last.
        #expect(bytes.count > 1000)
        #expect(bytes.last == UInt8(ascii: "\n"))
        #expect(InputFileSystem.contents(of: path, limit: 100) == .tooLarge(size: 101))
    }

    @Test func saysWhenAFileCannotBeOpened() throws {
        let folder = try TemporaryFolder()
        #expect(InputFileSystem.contents(of: folder.path("missing.yaml"), limit: 100) == .unopenable)
    }

    /// A file read a piece at a time straight into an array (the lockfile's typed read):
    /// each read appends what it got after the bytes already there, the end reads as 0,
    /// and a descriptor that cannot be read as `nil`, the array as it was.
    @Test(arguments: [0, 1, 4095, 4096, 65_537, 200_000])
    func appendsAFileAPieceAtATime(size: Int) throws {
        let folder = try TemporaryFolder()
        let path = folder.path("lock.json")
        let bytes = (0..<size).map { UInt8(truncatingIfNeeded: $0 &* 31 &+ 7) }
        #expect(FileManager.default.createFile(atPath: path, contents: Data(bytes)))
        let handle = try #require(FileHandle(forReadingAtPath: path))
        defer { try? handle.close() }
        var read: [UInt8] = [1, 2, 3]
        var pieces = 0
        while let got = InputFileSystem.append(readingUpTo: 65_536, from: handle.fileDescriptor, to: &read), got > 0 {
            #expect(got <= 65_536)
            pieces += 1
        }
        #expect(read == [1, 2, 3] + bytes)
        #expect(pieces >= (size + 65_535) / 65_536)
        #expect(InputFileSystem.append(readingUpTo: 10, from: handle.fileDescriptor, to: &read) == 0, "at the end")
        #expect(read.count == 3 + size)

        let folderDescriptor = open(folder.path(""), O_RDONLY)
        defer { close(folderDescriptor) }
        var untouched: [UInt8] = [9]
        #expect(InputFileSystem.append(readingUpTo: 10, from: folderDescriptor, to: &untouched) == nil, "a folder")
        #expect(untouched == [9])
    }
}
