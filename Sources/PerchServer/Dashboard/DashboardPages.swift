import Foundation
import PerchWire

/// The dashboard's pages, rendered from wire types (every value escaped).
enum DashboardPages {
    /// Fleet overview: one row per device with model, slot and health.
    static func fleet(devices: [DeviceSummary], nowMs: Int64, onlineWindowMs: Int64) -> String {
        let online = devices.filter { !$0.revoked && ($0.lastSeenAtMs ?? 0) >= nowMs - onlineWindowMs }.count
        var rows = ""
        for device in devices {
            let e = HTML.escape
            let isOnline = !device.revoked && (device.lastSeenAtMs ?? 0) >= nowMs - onlineWindowMs
            let status =
                device.revoked
                ? "<span class=\"badge bad\">revoked</span>"
                : isOnline ? "<span class=\"badge ok\">online</span>" : "<span class=\"badge warn\">offline</span>"
            let beat = device.lastHeartbeat
            let model = beat.map { "\(e($0.modelName ?? "—")) \(e($0.modelVersion ?? ""))" } ?? "—"
            let throttle =
                beat.map { $0.throttled ? "<span class=\"bad\">throttled</span>" : "<span class=\"ok\">no</span>" }
                ?? "—"
            let temperature = beat?.temperatureCelsius.map { String(format: "%.1f °C", $0) } ?? "—"
            rows += """
                <tr><td><a href="/devices/\(HTML.pathSegment(device.deviceId))">\(e(device.deviceId))</a></td>\
                <td>\(status)</td><td>\(e(device.board))</td><td>\(e(device.group))</td>\
                <td>\(HTML.time(device.lastSeenAtMs))</td><td>\(model)</td>\
                <td>\(beat.map { e($0.slotState.rawValue) } ?? "—")</td>\
                <td class="num">\(beat.map { String(format: "%.1f", $0.framesPerSecond) } ?? "—")</td>\
                <td class="num">\(beat.map { String($0.droppedFrames) } ?? "—")</td>\
                <td class="num">\(beat.map { String($0.journalDepth) } ?? "—")</td>\
                <td class="num">\(beat.map { String(format: "%.0f s", $0.syncLagSeconds) } ?? "—")</td>\
                <td class="num">\(temperature)</td><td>\(throttle)</td>\
                <td class="num">\(beat.map { HTML.bytes($0.freeDiskBytes) } ?? "—")</td></tr>

                """
        }
        let table =
            devices.isEmpty
            ? "<p class=\"muted\">No device has enrolled yet.</p>"
            : """
            <table><thead><tr><th>Device</th><th>Status</th><th>Board</th><th>Group</th><th>Last seen (UTC)</th>\
            <th>Model</th><th>Slot</th><th>FPS</th><th>Dropped</th><th>Journal</th><th>Sync lag</th>\
            <th>Temp</th><th>Throttled</th><th>Free disk</th></tr></thead><tbody>
            \(rows)</tbody></table>
            """
        return HTML.page(
            title: "Fleet", active: "Fleet",
            body: "<h1>Fleet</h1><p>\(devices.count) devices, <span id=\"online\">\(online)</span> online.</p>\(table)")
    }

    /// One device: its health, detections per hour (SVG) and recent results with snapshots.
    static func device(_ device: DeviceSummary, recent: [StoredResult], hourly: [HourlyCount], nowMs: Int64) -> String {
        let e = HTML.escape
        var rows = ""
        for result in recent {
            let record = result.record
            let snapshot =
                result.hasSnapshot
                ? "<img class=\"snap\" alt=\"snapshot \(record.seq)\" src=\"/api/v1/results/"
                    + "\(HTML.pathSegment(result.deviceId))/\(record.seq)/snapshot\">"
                : ""
            rows += """
                <tr><td class="num">\(record.seq)</td><td>\(HTML.time(record.capturedAtMs))</td>\
                <td>\(e(record.kind.rawValue))</td><td>\(e(record.label))</td>\
                <td class="num">\(String(format: "%.3f", record.score))</td>\
                <td class="num">\(String(format: "%.1f ms", record.latencyMs))</td>\
                <td>\(e(record.modelName)) \(e(record.modelVersion))</td>\
                <td>\(record.throttled ? "yes" : "no")</td><td>\(snapshot)</td></tr>

                """
        }
        let beat = device.lastHeartbeat
        let health =
            beat.map {
                """
                <p>Model <b>\(e($0.modelName ?? "—")) \(e($0.modelVersion ?? ""))</b>, slot \(e($0.slotState.rawValue)), \
                uptime \($0.uptimeSeconds) s, \(String(format: "%.1f", $0.framesPerSecond)) fps, \
                \($0.droppedFrames) dropped, journal \($0.journalDepth), sync lag \(String(format: "%.0f", $0.syncLagSeconds)) s, \
                \($0.throttled ? "<span class=\"bad\">throttled</span>" : "not throttled"), \
                free disk \(HTML.bytes($0.freeDiskBytes)).</p>
                """
            } ?? "<p class=\"muted\">No heartbeat yet.</p>"
        let body = """
            <h1>Device \(e(device.deviceId))</h1>
            <p>\(e(device.board)), group \(e(device.group)), hardware id \(e(device.hardwareId)), \
            enrolled \(HTML.time(device.enrolledAtMs)), last seen \(HTML.time(device.lastSeenAtMs)) UTC\
            \(device.revoked ? ", <span class=\"badge bad\">revoked</span>" : "").</p>
            \(health)
            <h2>Detections per hour (events, last 24 h, UTC)</h2>
            \(HourlyChart.svg(counts: hourly, nowMs: nowMs))
            <h2>Recent results</h2>
            \(recent.isEmpty ? "<p class=\"muted\">No results yet.</p>" : """
            <table><thead><tr><th>Seq</th><th>Captured (UTC)</th><th>Kind</th><th>Label</th><th>Score</th>\
            <th>Latency</th><th>Model</th><th>Throttled</th><th>Snapshot</th></tr></thead><tbody>
            \(rows)</tbody></table>
            """)
            """
        return HTML.page(title: "Device \(device.deviceId)", active: "Fleet", body: body)
    }

    /// The model registry.
    static func models(_ models: [ModelSummary], keyId: String) -> String {
        let e = HTML.escape
        let rows = models.map { model in
            """
            <tr><td>\(e(model.name))</td><td>\(e(model.version))</td><td class="num">\(HTML.bytes(model.size))</td>\
            <td><code>\(e(String(model.sha256.prefix(16))))…</code></td>\
            <td>\(model.signed ? "<span class=\"badge ok\">signed</span>" : "<span class=\"badge warn\">unsigned</span>")</td>\
            <td>\(HTML.time(model.createdAtMs))</td></tr>
            """
        }.joined(separator: "\n")
        let table =
            models.isEmpty
            ? "<p class=\"muted\">No model uploaded yet.</p>"
            : "<table><thead><tr><th>Name</th><th>Version</th><th>Size</th><th>SHA-256</th><th>Signature</th>"
                + "<th>Uploaded (UTC)</th></tr></thead><tbody>\(rows)</tbody></table>"
        return HTML.page(
            title: "Models", active: "Models",
            body: "<h1>Models</h1><p>Fleet signing key <code>\(e(keyId))</code>.</p>\(table)")
    }

    /// Rollouts with their stages and per-stage failure counts.
    static func rollouts(_ rollouts: [Rollout]) -> String {
        let e = HTML.escape
        let rows = rollouts.map { rollout in
            let stages = rollout.stages.enumerated().map { index, percent in
                let stats = rollout.stageStats.first { $0.stage == index }
                let cls =
                    rollout.state == .completed || index < rollout.currentStage
                    ? "done" : index == rollout.currentStage ? "current" : ""
                let title = stats.map { "\($0.failedDevices) of \($0.reportingDevices) devices failed" } ?? "no reports"
                return "<span class=\"\(cls)\" title=\"\(e(title))\">\(percent)%</span>"
            }.joined()
            let stateClass: String =
                switch rollout.state {
                case .active, .completed: "ok"
                case .paused: "warn"
                case .halted, .aborted: "bad"
                }
            let failures = rollout.stageStats.map { "stage \($0.stage): \($0.failedDevices)/\($0.reportingDevices)" }
                .joined(separator: ", ")
            return """
                <tr><td class="num">\(rollout.id)</td><td>\(e(rollout.modelName)) \(e(rollout.modelVersion))</td>\
                <td>\(e(rollout.group ?? "all"))</td><td class="num">\(rollout.percentage)%</td>\
                <td class="stages">\(stages)</td><td><span class="badge \(stateClass)">\(rollout.state.rawValue)</span>\
                \(rollout.haltReason.map { "<br><small>\(e($0))</small>" } ?? "")</td>\
                <td>\(failures.isEmpty ? "—" : e(failures))</td><td>\(HTML.time(rollout.createdAtMs))</td></tr>
                """
        }.joined(separator: "\n")
        let table =
            rollouts.isEmpty
            ? "<p class=\"muted\">No rollout yet.</p>"
            : "<table><thead><tr><th>#</th><th>Model</th><th>Group</th><th>Target</th><th>Stages</th><th>State</th>"
                + "<th>Failures</th><th>Created (UTC)</th></tr></thead><tbody>\(rows)</tbody></table>"
        return HTML.page(title: "Rollouts", active: "Rollouts", body: "<h1>Rollouts</h1>\(table)")
    }
}
