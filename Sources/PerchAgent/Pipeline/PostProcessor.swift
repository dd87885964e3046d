/// Turns one inference's dequantized scores into a top label and events.
///
/// Scores of the labels of a class group add up under the group's name (several ImageNet cat classes →
/// `cat`). Each event label is tracked with hysteresis: it turns on when its score stays at or above
/// `thresholdOn` for `minimumDuration`, and off when it stays below `thresholdOff` for as long; each
/// flip is an event (`cat:appeared`, `cat:left`).
public struct PostProcessor: Sendable {
    /// One state change of a tracked label.
    public struct Event: Sendable, Equatable {
        /// The tracked label.
        public var label: String
        /// Whether it appeared (true) or left (false).
        public var appeared: Bool
        /// Its score at the flip.
        public var score: Double

        /// Creates an event.
        public init(label: String, appeared: Bool, score: Double) {
            self.label = label
            self.appeared = appeared
            self.score = score
        }

        /// The event's journal label, `label:appeared` or `label:left`.
        public var name: String { label + (appeared ? ":appeared" : ":left") }
    }

    /// What one frame produced.
    public struct Outcome: Sendable, Equatable {
        /// The best label (or group) and its score.
        public var label: String
        /// Its score.
        public var score: Double
        /// State changes this frame.
        public var events: [Event]
    }

    struct Tracker: Sendable {
        var on = false
        var pendingSinceNs: Int64?
    }

    /// Output labels in output order (a missing label is `class_<i>`).
    public let labels: [String]
    let groupOf: [String: String]
    let settings: PostProcessSettings
    var trackers: [String: Tracker]

    /// Creates a post-processor.
    ///
    /// - Parameters:
    ///   - labels: The model's labels, in output order.
    ///   - settings: Groups, event labels, thresholds.
    public init(labels: [String], settings: PostProcessSettings) {
        self.labels = labels
        var groupOf: [String: String] = [:]
        for (group, members) in settings.groups { for member in members { groupOf[member] = group } }
        self.groupOf = groupOf
        self.settings = settings
        self.trackers = Dictionary(uniqueKeysWithValues: settings.eventLabels.map { ($0, Tracker()) })
    }

    /// Whether an "appeared" event may fire on one of the next frames: a tracked label is off but its score
    /// is already past the on threshold (the capture thread then attaches snapshots to raw frames).
    public var mayAppearSoon: Bool { trackers.values.contains { !$0.on && $0.pendingSinceNs != nil } }

    /// Whether a tracked label is on now.
    public func isOn(_ label: String) -> Bool { trackers[label]?.on ?? false }

    /// Scores per label or group for one output vector.
    public func groupedScores(_ scores: [Double]) -> [String: Double] {
        var grouped: [String: Double] = [:]
        for (index, score) in scores.enumerated() {
            let label = index < labels.count ? labels[index] : "class_\(index)"
            grouped[groupOf[label] ?? label, default: 0] += score
        }
        return grouped
    }

    /// Processes one frame's dequantized scores captured at `nanoseconds` (monotonic).
    public mutating func process(scores: [Double], atNanoseconds nanoseconds: Int64) -> Outcome {
        let grouped = groupedScores(scores)
        // Ties break by name so the result does not depend on dictionary order.
        let best = grouped.max { $0.value < $1.value || ($0.value == $1.value && $0.key > $1.key) }
        var events: [Event] = []
        let minimum = Int64(settings.minimumDurationMs) * 1_000_000
        for label in settings.eventLabels {
            let score = grouped[label] ?? 0
            var tracker = trackers[label] ?? Tracker()
            let crossing = tracker.on ? score < settings.thresholdOff : score >= settings.thresholdOn
            if crossing {
                let since = tracker.pendingSinceNs ?? nanoseconds
                tracker.pendingSinceNs = since
                if nanoseconds - since >= minimum {
                    tracker.on.toggle()
                    tracker.pendingSinceNs = nil
                    events.append(Event(label: label, appeared: tracker.on, score: score))
                }
            } else {
                tracker.pendingSinceNs = nil
            }
            trackers[label] = tracker
        }
        return Outcome(label: best?.key ?? "", score: best?.value ?? 0, events: events)
    }
}

/// The post-processing settings that `SIGHUP` may change.
public struct PostProcessSettings: Sendable, Equatable {
    /// Group name → member labels.
    public var groups: [String: [String]]
    /// Labels that produce events.
    public var eventLabels: [String]
    /// On threshold.
    public var thresholdOn: Double
    /// Off threshold (≤ on).
    public var thresholdOff: Double
    /// Time past a threshold before a flip, milliseconds.
    public var minimumDurationMs: Int

    /// Reads the settings of a configuration.
    public init(_ configuration: AgentConfiguration.PostProcess) {
        groups = configuration.groups
        eventLabels = configuration.eventLabels
        thresholdOn = configuration.thresholdOn
        thresholdOff = configuration.thresholdOff
        minimumDurationMs = configuration.minimumDurationMs
    }
}
