import PerchWire

/// What a demo run showed, checked by its test and printed at the end.
struct DemoSummary: Sendable, Equatable {
    /// The device id the server gave the daemon.
    var deviceId: String
    /// Results stored on the server, by model version, then by label.
    var resultsByVersion: [String: [String: Int]]
    /// The model version the device runs at the end.
    var finalModelVersion: String
    /// The activation reports the device delivered for the rollout, in order.
    var reports: [ActivationReport.Outcome]
    /// The rollout's state on the server at the end.
    var rolloutState: RolloutState

    /// Stored results of `version`, all labels.
    func results(of version: String) -> Int { resultsByVersion[version, default: [:]].values.reduce(0, +) }

    /// Stored results of `version` labelled `label`.
    func results(of version: String, labelled label: String) -> Int { resultsByVersion[version]?[label] ?? 0 }
}
