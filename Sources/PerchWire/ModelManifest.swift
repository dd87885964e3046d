import Foundation

/// Everything a device needs to trust, validate and feed a model.
///
/// The manifest is signed as its canonical JSON encoding (see ``canonicalJSON()``); devices verify
/// the signature over the exact bytes in ``SignedManifest/payload`` and only then decode them.
public struct ModelManifest: Codable, Sendable, Equatable {
    /// The model's name (lowercase letters, digits, `.`, `_`, `-`).
    public var name: String
    /// The model's version.
    public var version: String
    /// SHA-256 of the `.tflite` bytes, lowercase hex.
    public var sha256: String
    /// Size of the `.tflite` file in bytes.
    public var size: Int64
    /// The model's first input tensor.
    public var input: TensorSpec
    /// How camera pixels (0…255) map to the real-valued input: `real = (pixel - mean) / std`.
    public var normalization: Normalization
    /// The class labels, in output order.
    public var labels: [String]
    /// The tensor arena the interpreter needs, in bytes.
    public var arenaBytes: Int64
    /// Seeded inputs with the outputs of Perch's interpreter, to be reproduced bit-exactly on device.
    public var goldenVectors: [GoldenVector]
    /// When the server built this manifest, Unix epoch milliseconds.
    public var createdAtMs: Int64
    /// How a camera frame becomes the input tensor (decode, crop, resize, table), as the model was evaluated;
    /// `nil` (absent from older manifests) means the daemon's defaults.
    public var preprocessing: Preprocessing?

    /// Creates a manifest.
    public init(
        name: String,
        version: String,
        sha256: String,
        size: Int64,
        input: TensorSpec,
        normalization: Normalization,
        labels: [String],
        arenaBytes: Int64,
        goldenVectors: [GoldenVector],
        createdAtMs: Int64,
        preprocessing: Preprocessing? = nil
    ) {
        self.name = name
        self.version = version
        self.sha256 = sha256
        self.size = size
        self.input = input
        self.normalization = normalization
        self.labels = labels
        self.arenaBytes = arenaBytes
        self.goldenVectors = goldenVectors
        self.createdAtMs = createdAtMs
        self.preprocessing = preprocessing
    }

    /// The canonical encoding that is signed: compact JSON with sorted keys.
    ///
    /// - Returns: The UTF-8 JSON bytes.
    /// - Throws: `EncodingError` (only for non-finite numbers).
    public func canonicalJSON() throws -> Data {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return try encoder.encode(self)
    }
}

/// The static description of a tensor.
public struct TensorSpec: Codable, Sendable, Equatable {
    /// The shape, for example `[1, 96, 96, 1]` (NHWC).
    public var shape: [Int]
    /// The element type, for example `int8`.
    public var dtype: String
    /// Quantization scale (`real = scale × (q − zeroPoint)`).
    public var scale: Double
    /// Quantization zero point.
    public var zeroPoint: Int

    /// Creates a tensor spec.
    public init(shape: [Int], dtype: String, scale: Double, zeroPoint: Int) {
        self.shape = shape
        self.dtype = dtype
        self.scale = scale
        self.zeroPoint = zeroPoint
    }
}

/// Pixel normalization: `real = (pixel - mean) / std`.
public struct Normalization: Codable, Sendable, Equatable {
    /// Subtracted from each pixel value.
    public var mean: Double
    /// Divides the centred value.
    public var std: Double

    /// Creates a normalization.
    public init(mean: Double, std: Double) {
        self.mean = mean
        self.std = std
    }
}

/// A seeded input and the outputs Perch's interpreter computed for it.
///
/// The input is not stored: it is ``GoldenInput/int8(seed:count:)`` of the model's input element count,
/// and `inputSHA256` lets a device check it generated the same bytes before comparing outputs.
public struct GoldenVector: Codable, Sendable, Equatable {
    /// The seed of the input.
    public var seed: UInt64
    /// SHA-256 (lowercase hex) of the generated int8 input, as bytes (two's complement).
    public var inputSHA256: String
    /// Every output tensor in position order, int8, flattened row-major.
    public var outputs: [[Int8]]

    /// Creates a golden vector.
    public init(seed: UInt64, inputSHA256: String, outputs: [[Int8]]) {
        self.seed = seed
        self.inputSHA256 = inputSHA256
        self.outputs = outputs
    }
}

/// A manifest with the fleet's Ed25519 signature over its exact bytes.
public struct SignedManifest: Codable, Sendable, Equatable {
    /// The canonical JSON of a ``ModelManifest`` (base64 in JSON).
    public var payload: Data
    /// The Ed25519 signature of `payload` (base64 in JSON).
    public var signature: Data
    /// Identifies the signing key: the first 16 hex digits of SHA-256 of the raw public key.
    public var keyId: String

    /// Creates a signed manifest.
    public init(payload: Data, signature: Data, keyId: String) {
        self.payload = payload
        self.signature = signature
        self.keyId = keyId
    }

    /// Decodes the payload. Verify the signature first.
    ///
    /// - Returns: The manifest.
    /// - Throws: `DecodingError` if the payload is not a manifest.
    public func decodedManifest() throws -> ModelManifest {
        try JSONDecoder().decode(ModelManifest.self, from: payload)
    }
}

/// One registered model version (`GET /api/v1/models`).
public struct ModelSummary: Codable, Sendable, Equatable {
    /// The model's name.
    public var name: String
    /// The model's version.
    public var version: String
    /// SHA-256 of the bytes, lowercase hex.
    public var sha256: String
    /// Size in bytes.
    public var size: Int64
    /// Whether the manifest carries a signature that verifies with the fleet key.
    public var signed: Bool
    /// Upload time, Unix epoch milliseconds.
    public var createdAtMs: Int64

    /// Creates a model summary.
    public init(name: String, version: String, sha256: String, size: Int64, signed: Bool, createdAtMs: Int64) {
        self.name = name
        self.version = version
        self.sha256 = sha256
        self.size = size
        self.signed = signed
        self.createdAtMs = createdAtMs
    }
}

/// The model registry (`GET /api/v1/models`).
public struct ModelListResponse: Codable, Sendable, Equatable {
    /// The models, newest first.
    public var models: [ModelSummary]

    /// Creates a model list.
    public init(models: [ModelSummary]) {
        self.models = models
    }
}

/// The fleet's public signing key (`GET /api/v1/fleet-key`).
public struct FleetKeyResponse: Codable, Sendable, Equatable {
    /// The raw 32-byte Ed25519 public key (base64 in JSON).
    public var publicKey: Data
    /// The key identifier used in ``SignedManifest/keyId``.
    public var keyId: String

    /// Creates a fleet key response.
    public init(publicKey: Data, keyId: String) {
        self.publicKey = publicKey
        self.keyId = keyId
    }
}
