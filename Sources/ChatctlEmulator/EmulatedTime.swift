import ChatctlAWS
import Foundation

/// The emulator's time: its wall clock plus every `POST /_emulator/advance`. Chat durations,
/// ClientToken memory, token buckets and the times of ``ContactEvent``s run on it;
/// signatures are checked against the wall clock alone, since clients sign with real time.
final class EmulatedTime: Sendable {
    /// The wall clock.
    let clock: any EmulatorClock
    private let offset = Locked<TimeInterval>(0)

    /// The furthest the emulated time goes ahead of the clock: 100 years. Further, its
    /// dates could not be printed (`CivilTime` traps on seconds beyond `Int`).
    static let maxOffset: TimeInterval = 100 * 365 * 86_400

    init(clock: any EmulatorClock) {
        self.clock = clock
    }

    /// The wall clock's time.
    var wallNow: Date {
        clock.now()
    }

    /// The emulated time now.
    var now: Date {
        emulated(clock.now())
    }

    /// `wallTime` moved by the offset.
    func emulated(_ wallTime: Date) -> Date {
        wallTime.addingTimeInterval(offsetSeconds)
    }

    /// Seconds added to the clock so far.
    var offsetSeconds: TimeInterval {
        offset.withLock { $0 }
    }

    /// Moves the emulated time forward.
    ///
    /// - Parameter seconds: how far; negative values count as 0.
    /// - Returns: the total offset, at most ``maxOffset``.
    @discardableResult
    func advance(by seconds: TimeInterval) -> TimeInterval {
        offset.withLock { offset in
            offset = min(offset + max(0, seconds), Self.maxOffset)
            return offset
        }
    }

    /// Puts the emulated time back on the clock.
    func reset() {
        offset.withLock { $0 = 0 }
    }
}
