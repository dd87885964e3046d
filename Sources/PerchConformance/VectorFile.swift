import PerchInference

/// A file of golden vectors: inputs and the outputs TFLite Micro's reference kernels compute for them.
///
/// The format is the one of `../shared/models/README.md` ("Vector JSON format"): a model name and
/// SHA-256, the oracle, and cases of `inputs` / `outputs`, each a tensor index, its position in the
/// subgraph's input or output list, shape, dtype, quantization and row-major data.
public struct VectorFile: Sendable {
    /// The model's file name, next to the vectors file.
    public var model: String
    /// Hex SHA-256 of the model file, when given.
    public var modelSHA256: String?
    /// Which interpreter produced the expected outputs.
    public var oracle: String?
    /// The cases, in file order.
    public var cases: [VectorCase]

    /// Creates a vector file from its parts.
    public init(model: String, modelSHA256: String?, oracle: String?, cases: [VectorCase]) {
        self.model = model
        self.modelSHA256 = modelSHA256
        self.oracle = oracle
        self.cases = cases
    }

    /// Parses a vectors file.
    ///
    /// - Throws: ``VectorFileError`` naming the JSON problem or the field that is missing or wrong.
    public init(json bytes: [UInt8]) throws(VectorFileError) {
        let root: JSONValue
        do {
            root = try JSONParser.parse(bytes)
        } catch {
            throw .json(error)
        }
        guard let model = root["model"]?.stringValue else { throw .missingField("model") }
        guard let cases = root["cases"]?.arrayValue else { throw .missingField("cases") }
        var parsed: [VectorCase] = []
        parsed.reserveCapacity(cases.count)
        for (index, value) in cases.enumerated() {
            parsed.append(try VectorCase(json: value, path: "cases[\(index)]"))
        }
        self.init(
            model: model,
            modelSHA256: root["model_sha256"]?.stringValue,
            oracle: root["oracle"]?.stringValue,
            cases: parsed
        )
    }
}

/// One case of a vectors file: the inputs fed and the outputs expected.
public struct VectorCase: Sendable {
    /// The case's name, e.g. `person__rawbytes_as_int8`.
    public var name: String
    /// Inputs in `position` order.
    public var inputs: [TensorVector]
    /// Expected outputs in `position` order.
    public var outputs: [TensorVector]

    /// Creates a case from its parts.
    public init(name: String, inputs: [TensorVector], outputs: [TensorVector]) {
        self.name = name
        self.inputs = inputs
        self.outputs = outputs
    }

    init(json: JSONValue, path: String) throws(VectorFileError) {
        guard let name = json["name"]?.stringValue else { throw .missingField(path + ".name") }
        guard let inputs = json["inputs"]?.arrayValue else { throw .missingField(path + ".inputs") }
        guard let outputs = json["outputs"]?.arrayValue else { throw .missingField(path + ".outputs") }
        var parsedInputs: [TensorVector] = []
        for (index, value) in inputs.enumerated() {
            parsedInputs.append(try TensorVector(json: value, path: path + ".inputs[\(index)]"))
        }
        var parsedOutputs: [TensorVector] = []
        for (index, value) in outputs.enumerated() {
            parsedOutputs.append(try TensorVector(json: value, path: path + ".outputs[\(index)]"))
        }
        self.init(name: name, inputs: parsedInputs, outputs: parsedOutputs)
    }
}

/// The values of one tensor in a case.
public struct TensorVector: Sendable {
    /// Tensor index in subgraph 0.
    public var index: Int
    /// Position in the subgraph's input or output list.
    public var position: Int
    /// The tensor's static shape.
    public var shape: [Int]
    /// The data, row-major.
    public var data: TensorData
    /// The tensor's scale, when quantized (a copy; the model is the source of truth).
    public var scale: Double?
    /// The tensor's zero point, when quantized.
    public var zeroPoint: Int?

    /// Creates a tensor vector from its parts.
    public init(index: Int, position: Int, shape: [Int], data: TensorData, scale: Double? = nil, zeroPoint: Int? = nil) {
        self.index = index
        self.position = position
        self.shape = shape
        self.data = data
        self.scale = scale
        self.zeroPoint = zeroPoint
    }

    init(json: JSONValue, path: String) throws(VectorFileError) {
        guard let index = json["index"]?.integerValue else { throw .missingField(path + ".index") }
        guard let position = json["position"]?.integerValue else { throw .missingField(path + ".position") }
        guard let shapeValues = json["shape"]?.arrayValue else { throw .missingField(path + ".shape") }
        guard let dtype = json["dtype"]?.stringValue else { throw .missingField(path + ".dtype") }
        guard let values = json["data"]?.arrayValue else { throw .missingField(path + ".data") }
        var shape: [Int] = []
        for value in shapeValues {
            guard let dim = value.integerValue, dim >= 0 else { throw .invalidValue(path + ".shape") }
            shape.append(Int(dim))
        }
        let count = shape.reduce(1, *)
        guard values.count == count else { throw .dataCountMismatch(path: path, expected: count, actual: values.count) }
        let data: TensorData
        switch dtype {
        case "int8":
            var int8: [Int8] = []
            int8.reserveCapacity(count)
            for value in values {
                guard let element = value.integerValue, let narrow = Int8(exactly: element) else {
                    throw .invalidValue(path + ".data")
                }
                int8.append(narrow)
            }
            data = .int8(int8)
        case "uint8":
            var uint8: [UInt8] = []
            uint8.reserveCapacity(count)
            for value in values {
                guard let element = value.integerValue, let narrow = UInt8(exactly: element) else {
                    throw .invalidValue(path + ".data")
                }
                uint8.append(narrow)
            }
            data = .uint8(uint8)
        case "float32":
            var floats: [Float] = []
            floats.reserveCapacity(count)
            for value in values {
                guard let element = value.doubleValue else { throw .invalidValue(path + ".data") }
                floats.append(Float(element))
            }
            data = .float32(floats)
        default:
            throw .unsupportedDType(path: path, dtype: dtype)
        }
        self.init(
            index: Int(index), position: Int(position), shape: shape, data: data,
            scale: json["scale"]?.doubleValue, zeroPoint: json["zero_point"]?.integerValue.map { Int($0) }
        )
    }
}

/// Why a vectors file could not be read.
public enum VectorFileError: Error, Equatable, Sendable, CustomStringConvertible {
    case json(JSONError)
    case missingField(String)
    case invalidValue(String)
    case dataCountMismatch(path: String, expected: Int, actual: Int)
    case unsupportedDType(path: String, dtype: String)

    public var description: String {
        switch self {
        case .json(let error): return "vectors file is not valid JSON: \(error)"
        case .missingField(let path): return "vectors file: missing or wrong-typed field \(path)"
        case .invalidValue(let path): return "vectors file: invalid value in \(path)"
        case .dataCountMismatch(let path, let expected, let actual):
            return "vectors file: \(path).data has \(actual) values, its shape needs \(expected)"
        case .unsupportedDType(let path, let dtype): return "vectors file: \(path) has unsupported dtype \(dtype)"
        }
    }
}
