// perch-capture-vmtest: PerchCapture against a real kernel V4L2 driver, run inside the QEMU VM of
// scripts/vm/test-vivid.sh (vivid for YUYV/GREY, v4l2loopback for MJPEG). Also `bench` for the capture benchmark.
//
//   perch-capture-vmtest vivid [/dev/video0] [frames]
//   perch-capture-vmtest doctor [/dev/video0]              CameraDoctor + FrameCapture on vivid
//   perch-capture-vmtest produce /dev/video10 [frames]       MJPEG producer into v4l2loopback
//   perch-capture-vmtest mjpeg /dev/video10 [frames]         MJPEG consumer + libjpeg decode checks
//   perch-capture-vmtest unplug [/dev/video0]             vivid's Disconnect (a real unregister), then reopen
//   perch-capture-vmtest bench [iterations [photo [noise]]]
//
// Prints one `PASS`/`FAIL` line per check and a closing `N passed, N failed`; exits 1 on any failure.

import PerchCapture
import SystemPackage

#if canImport(Glibc)
    import Glibc
#endif

nonisolated(unsafe) var passed = 0
nonisolated(unsafe) var failed = 0

func check(_ condition: Bool, _ what: String) {
    if condition {
        passed += 1
        print("PASS \(what)")
    } else {
        failed += 1
        print("FAIL \(what)")
    }
    fflush(nil)
}

func hex(_ v: UInt32) -> String {
    let s = String(v, radix: 16)
    return String(repeating: "0", count: 8 - s.count) + s
}

/// The two MJPEG frames the producer alternates between (deterministic, so the consumer can recompute them).
func producerFrames() -> [[UInt8]] {
    (0..<2).map { n in
        var pixels = [UInt8](repeating: 0, count: 640 * 480 * 3)
        for y in 0..<480 {
            for x in 0..<640 {
                let o = (y * 640 + x) * 3
                pixels[o] = UInt8(x * 255 / 640)
                pixels[o + 1] = UInt8(y * 255 / 480)
                pixels[o + 2] = (x / 40 + y / 40 + n) % 2 == 1 ? 255 : 0
            }
        }
        return try! JPEGEncoder.encode(PixelBuffer(width: 640, height: 480, channels: 3, pixels: pixels), quality: 80)
    }
}

// MARK: - vivid: YUYV and GREY

func runVivid(path: String, frames: Int) {
    do {
        let device = try V4L2Device(path: path)
        let cap = try device.queryCapability()
        print("QUERYCAP driver=\(cap.driver) card=\(cap.card) bus=\(cap.busInfo) version=\(cap.versionString)")
        check(cap.driver == "vivid", "QUERYCAP reports driver vivid")
        check(cap.deviceCapabilities.contains([.videoCapture, .streaming]), "capture + streaming capabilities")
        let formats = try device.formats()
        let codes = formats.map(\.pixelFormat)
        print("ENUM_FMT \(formats.count) formats: \(codes.prefix(12).map(\.fourCC).joined(separator: " "))...")
        check(codes.contains(.yuyv) && codes.contains(.grey), "ENUM_FMT lists YUYV and GREY")
        let sizes = try device.frameSizes(for: .yuyv)
        check(sizes.contains(.discrete(width: 640, height: 480)), "ENUM_FRAMESIZES has 640x480 for YUYV")
        let intervals = try device.frameIntervals(for: .yuyv, width: 640, height: 480)
        check(
            intervals.contains(.discrete(.init(numerator: 1, denominator: 25))),
            "ENUM_FRAMEINTERVALS has 1/25 at 640x480")
        let controls = try device.controls()
        check(controls.contains { $0.name == "OSD Text Mode" }, "QUERYCTRL finds vivid's OSD Text Mode")
        // vivid has no MJPEG: S_FMT substitutes silently, which the wrapper must expose.
        let granted = try device.setFormat(.mjpeg, width: 640, height: 480)
        check(granted.pixelFormat != .mjpeg, "S_FMT(MJPG) on vivid is answered with \(granted.pixelFormat.fourCC)")
    } catch {
        check(false, "device probe: \(error)")
    }
    do {
        _ = try V4L2Source(.init(path: path, pixelFormat: .mjpeg, requireExactFormat: true))
        check(false, "requireExactFormat rejects the substituted format")
    } catch {
        check(error == .formatNotGranted(requested: .mjpeg, granted: .yuyv), "requireExactFormat: \(error)")
    }
    for (format, bpp) in [(PixelFormat.yuyv, 2), (PixelFormat.grey, 1)] {
        captureDeterministic(path: path, format: format, bytesPerPixel: bpp, frames: frames)
    }
}

func captureDeterministic(path: String, format: PixelFormat, bytesPerPixel: Int, frames: Int) {
    let name = format.fourCC
    do {
        let source = try V4L2Source(
            .init(
                path: path, pixelFormat: format, width: 640, height: 480, framesPerSecond: 25,
                requireExactFormat: true, controls: ["OSD Text Mode": 2]))
        let f = source.grantedFormat!
        check(
            f.pixelFormat == format && f.width == 640 && f.height == 480,
            "\(name): S_FMT granted \(f.pixelFormat) \(f.width)x\(f.height)")
        check(f.bytesPerLine == 640 * bytesPerPixel, "\(name): bytesperline \(f.bytesPerLine)")
        check(
            source.grantedInterval == .init(numerator: 1, denominator: 25),
            "\(name): S_PARM granted \(source.grantedInterval.map(\.description) ?? "nil")")
        let gray = Preprocessor(
            spec: InputSpec(
                height: 96, width: 96, channels: 1, scale: 1 / 127.5, zeroPoint: -1, normalization: .minusOneToOne))
        let rgb = Preprocessor(
            spec: InputSpec(
                height: 64, width: 64, channels: 3, layout: .nchw, scale: 1 / 255, zeroPoint: -128,
                normalization: .zeroToOne))
        var grayOut: [Int8] = []
        var rgbOut: [Int8] = []
        var hashes: [UInt32] = []
        var tensorHashes: Set<String> = []
        var sizes: Set<Int> = []
        var deviceSequences: [UInt32] = []
        var sequences: [UInt64] = []
        let start = ContinuousClock.now
        for i in 0..<frames {
            if i == frames / 2 { source.tearDown() }  // exercise the reopen path mid-run
            try source.withNextFrame { (frame, bytes) throws(CaptureError) in
                hashes.append(fnv1a(bytes))
                sizes.insert(bytes.count)
                deviceSequences.append(frame.deviceSequence ?? .max)
                sequences.append(frame.sequence)
                try gray.process(frame, bytes, into: &grayOut)
                try rgb.process(frame, bytes, into: &rgbOut)
                tensorHashes.insert("\(grayOut.hashValue)/\(rgbOut.hashValue)")
            }
        }
        let seconds =
            Double((ContinuousClock.now - start).components.seconds)
            + Double((ContinuousClock.now - start).components.attoseconds) / 1e18
        print(
            "\(name): \(frames) frames in \(String(seconds)) s; fnv1a \(Set(hashes).map(hex).sorted()); device seq \(deviceSequences.first!)...\(deviceSequences.last!); stats \(source.statistics)"
        )
        check(hashes.count == frames, "\(name): captured \(hashes.count)/\(frames) frames")
        check(
            sizes == [640 * 480 * bytesPerPixel],
            "\(name): every frame is \(640 * 480 * bytesPerPixel) bytes (got \(sizes.sorted()))")
        check(sequences == (0..<UInt64(frames)).map { $0 }, "\(name): source sequence numbers 0..<\(frames)")
        let half = frames / 2
        let increasing =
            zip(deviceSequences[0..<half], deviceSequences[1..<half]).allSatisfy { $0 < $1 }
            && zip(deviceSequences[half...], deviceSequences[(half + 1)...]).allSatisfy { $0 < $1 }
        check(increasing, "\(name): driver sequence strictly increasing within each stream (gaps allowed)")
        check(
            source.statistics.reopens == 1,
            "\(name): reopened once after tearDown (reopens \(source.statistics.reopens))")
        check(Set(hashes).count == 1, "\(name): OSD off makes all frames byte-identical (deterministic checksum)")
        if format == .yuyv {
            check(
                hashes.first == 0xef62_b9c5,
                "YUYV: checksum fnv1a=\(hex(hashes.first ?? 0)) equals the reference ef62b9c5")
        }
        check(tensorHashes.count == 1, "\(name): identical frames give identical 96x96 gray and 64x64 RGB tensors")
        print("\(name): gray tensor first 8 \(Array(grayOut.prefix(8))), rgb first 8 \(Array(rgbOut.prefix(8)))")
    } catch {
        check(false, "\(name) capture: \(error)")
    }
}

// MARK: - MJPEG through v4l2loopback

func runProducer(path: String, frames: Int) -> Int32 {
    let jpegs = producerFrames()
    do {
        let device = try V4L2Device(path: path, nonBlocking: false, formatEmulation: false)
        let f = try device.setFormat(.mjpeg, width: 640, height: 480, output: true, sizeImage: 256 * 1024)
        print("producer: output format \(f.pixelFormat) \(f.width)x\(f.height), jpeg sizes \(jpegs.map(\.count))")
        fflush(nil)
        for i in 0..<frames {
            try device.write(jpegs[i % 2])
            usleep(40_000)
        }
        return 0
    } catch {
        print("producer: \(error)")
        return 2
    }
}

func runMJPEG(path: String, frames: Int) {
    let jpegs = producerFrames()
    let decoder = JPEGDecoder()
    var expected: Set<UInt32> = []
    var image = PixelBuffer()
    for j in jpegs {
        try? decoder.decode(j.span, gray: false, into: &image)
        expected.insert(fnv1a(image.storage.span.extracting(0..<image.count)))
    }
    // wait for the producer to set the loopback's format
    var source: V4L2Source?
    for _ in 0..<50 {
        do {
            source = try V4L2Source(
                .init(
                    path: path, pixelFormat: .mjpeg, width: 640, height: 480, framesPerSecond: nil,
                    requireExactFormat: true))
            break
        } catch {
            usleep(100_000)
        }
    }
    guard let source else {
        check(false, "MJPEG: could not open \(path) as MJPEG 640x480")
        return
    }
    check(source.grantedFormat?.pixelFormat == .mjpeg, "MJPEG: S_FMT(MJPG) granted by v4l2loopback")
    let gray = Preprocessor(
        spec: InputSpec(
            height: 96, width: 96, channels: 1, scale: 1 / 127.5, zeroPoint: -1, normalization: .minusOneToOne))
    var out: [Int8] = []
    var decoded = 0
    var matched = 0
    var lengths: Set<Int> = []
    var errors: [String] = []
    for _ in 0..<frames {
        do {
            try source.withNextFrame { (frame, bytes) throws(CaptureError) in
                lengths.insert(bytes.count)
                do throws(JPEGError) {
                    try decoder.decode(bytes, gray: false, into: &image)
                } catch {
                    throw .jpeg(error)
                }
                decoded += 1
                if image.width == 640 && image.height == 480
                    && expected.contains(fnv1a(image.storage.span.extracting(0..<image.count)))
                {
                    matched += 1
                }
                try gray.process(frame, bytes, into: &out)
            }
        } catch {
            errors.append("\(error)")
        }
    }
    print(
        "MJPEG: decoded \(decoded), matched \(matched), JPEG lengths \(lengths.sorted()), stats \(source.statistics), errors \(errors.prefix(3))"
    )
    check(decoded == frames, "MJPEG: \(decoded)/\(frames) frames captured and decoded by libjpeg")
    check(
        matched == frames,
        "MJPEG: every decoded 640x480 frame equals one of the producer's images (\(matched)/\(frames))")
    check(
        lengths.isSubset(of: Set(jpegs.map(\.count))), "MJPEG: frame length found from the JPEG markers, not bytesused")
    check(gray.lastJPEGScale == 2, "MJPEG: 96x96 gray decoded at DCT scale \(gray.lastJPEGScale)/8")
}

// MARK: - camera doctor and frame saving on vivid

func setOSD(path: String, mode: Int32) {
    do {
        let device = try V4L2Device(path: path)
        if let osd = try device.controls().first(where: { $0.name == "OSD Text Mode" }) {
            try device.setControlValue(mode, id: osd.id)
        }
    } catch {
        check(false, "set OSD Text Mode: \(error)")
    }
}

func runDoctor(path: String) {
    // Controls are device state: put the OSD (a clock that changes every frame) back on after the vivid checks.
    setOSD(path: path, mode: 0)
    let report = CameraDoctor.run(maximumFrames: 40)
    print(report.text.split(separator: "\n").filter { !$0.hasPrefix("    ") }.joined(separator: "\n"))
    let vivid = report.devices.first { $0.path == path }
    check(vivid?.driver == "vivid" && vivid?.isCapture == true, "doctor: lists \(path) as a vivid capture node")
    let yuyv = vivid?.formats.first { $0.fourCC == "YUYV" }
    let yuyv640 = yuyv?.sizes.first { $0.hasPrefix("640x480 @ ") }
    check(yuyv640?.hasSuffix(", 15, 25 fps") == true, "doctor: \(yuyv640 ?? "no YUYV 640x480")")
    check(vivid?.isRawBayer == false, "doctor: vivid is not taken for a raw Bayer node")
    let capture = report.capture
    check(
        capture?.source == "v4l2:" + path && capture?.format == "YUYV 640x480",
        "doctor: picked \(capture?.source ?? "-") \(capture?.format ?? "-")")
    check(
        (capture?.frames ?? 0) >= 5 && capture?.settled == true,
        "doctor: brightness settled after \(capture?.settledAfter ?? -1) frames")
    check(capture?.black == false && capture?.saturated == false, "doctor: frames neither black nor saturated")
    check(capture?.frozen == false, "doctor: frames with the OSD clock are not frozen")
    check(report.problems.isEmpty, "doctor: no problems (\(report.problems))")
    check(CameraDoctor.json(report).contains("\"driver\" : \"vivid\""), "doctor: JSON output")

    setOSD(path: path, mode: 2)
    let frozen = CameraDoctor.run(source: "v4l2:" + path, maximumFrames: 10)
    check(
        frozen.capture?.frozen == true && frozen.problems.contains { $0.contains("frozen") },
        "doctor: OSD off (identical frames) is flagged as frozen")

    var options = FrameSources.Options()
    options.pixelFormat = .grey
    options.framesPerSecond = 25
    do {
        let saved = try FrameCapture.save(source: "v4l2:" + path, options: options, frames: 3, to: "/tmp/capture")
        check(saved.count == 3 && saved.allSatisfy { $0.path.hasSuffix(".pgm") }, "capture: saved \(saved.map(\.path))")
        let image = try ImageFile.load(path: saved[0].path)
        check(
            image.width == 640 && image.height == 480 && image.channels == 1,
            "capture: saved PGM reads back as 640x480 gray")
    } catch {
        check(false, "capture: \(error)")
    }
}

/// A camera that goes away for real: vivid's "Disconnect" control unregisters the device the way a USB unplug
/// does (every call on it then fails with ENODEV). The source must report that as a lost device, back off while
/// the camera is absent, and pick it up again once the driver is back: guest-run.sh reloads vivid (rmmod +
/// insmod) when this program creates /tmp/unplugged.
func runUnplug(path: String) {
    let source: V4L2Source
    do {
        source = try V4L2Source(.init(path: path, pixelFormat: .yuyv, width: 640, height: 480))
    } catch {
        check(false, "unplug: open \(path): \(error)")
        return
    }
    var before = 0
    for _ in 0..<5 {
        do throws(CaptureError) { try source.withNextFrame { _, _ in before += 1 } } catch {}
    }
    check(before == 5, "unplug: 5 frames before the disconnect (got \(before))")
    do {
        let control = try V4L2Device(path: path)
        try control.setControlValue(1, id: 0x00f0_f041)  // VIVID_CID_DISCONNECT (a button control)
    } catch {
        check(false, "unplug: vivid's Disconnect control: \(error)")
        return
    }
    var lost: CaptureError?
    do throws(CaptureError) { try source.withNextFrame { _, _ in () } } catch { lost = error }
    if case .deviceLost(_, let errno) = lost {
        check(true, "unplug: the next frame is a lost device (\(errno))")
    } else {
        check(false, "unplug: expected a lost device, got \(lost.map { "\($0)" } ?? "a frame")")
    }
    // Tell guest-run.sh to reload the driver, then keep asking for frames as a daemon would.
    if let marker = fopen("/tmp/unplugged", "w") { fclose(marker) }
    let start = ContinuousClock.now
    var errors = 0
    var after = 0
    while after < 5 && ContinuousClock.now - start < .seconds(120) {
        do throws(CaptureError) { try source.withNextFrame { _, _ in after += 1 } } catch { errors += 1 }
    }
    check(after == 5, "unplug: frames again once the driver is back (\(after) in \(ContinuousClock.now - start))")
    // The backoff (250 ms doubling to 8 s) bounds the attempts: a spinning loop would make thousands.
    check(errors >= 1 && errors <= 60, "unplug: \(errors) failed attempts while the camera was absent (backed off)")
    check(source.statistics.reopens >= 1, "unplug: the source reopened the device (\(source.statistics.reopens))")
}

// MARK: - main

var arguments = Array(CommandLine.arguments.dropFirst())
let mode = arguments.first ?? "vivid"
switch mode {
case "vivid":
    runVivid(
        path: arguments.count > 1 ? arguments[1] : "/dev/video0",
        frames: arguments.count > 2 ? Int(arguments[2]) ?? 30 : 30)
case "doctor":
    runDoctor(path: arguments.count > 1 ? arguments[1] : "/dev/video0")
case "produce":
    exit(
        runProducer(
            path: arguments.count > 1 ? arguments[1] : "/dev/video10",
            frames: arguments.count > 2 ? Int(arguments[2]) ?? 200 : 200))
case "mjpeg":
    runMJPEG(
        path: arguments.count > 1 ? arguments[1] : "/dev/video10",
        frames: arguments.count > 2 ? Int(arguments[2]) ?? 30 : 30)
case "unplug":
    runUnplug(path: arguments.count > 1 ? arguments[1] : "/dev/video0")
case "bench":
    // bench [ITERATIONS [PHOTO [NOISE]]]: the synthetic frame, or PHOTO as a 640x480 q85 frame (± NOISE levels)
    let iterations = arguments.count > 1 ? Int(arguments[1]) ?? 200 : 200
    let jpeg: [UInt8]
    if arguments.count > 2 {
        let noise = arguments.count > 3 ? Int(arguments[3]) ?? 0 : 0
        do { jpeg = try CaptureBenchmark.photoJPEG(path: arguments[2], noise: noise) } catch {
            print("bench: \(arguments[2]): \(error)")
            exit(1)
        }
        print("frame: \(arguments[2]) as 640x480, noise ±\(noise), JPEG q85 4:2:0, \(jpeg.count) bytes")
    } else {
        jpeg = CaptureBenchmark.syntheticJPEG()
        print("frame: synthetic 640x480, JPEG q85 4:2:0, \(jpeg.count) bytes")
    }
    let results = CaptureBenchmark.run(jpeg: jpeg, iterations: iterations)
    print(CaptureBenchmark.table(results))
    exit(0)
default:
    print("usage: perch-capture-vmtest vivid|produce|mjpeg|bench [args]")
    exit(2)
}
print("\(passed) passed, \(failed) failed")
exit(failed == 0 && passed > 0 ? 0 : 1)
