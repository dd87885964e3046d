/// A `.tflite` model, read in place from one buffer holding the whole file.
///
/// The initializer walks the whole flatbuffer once, bounds-checking every offset, vector length, union
/// type and enum value, and checks the structure the runtime relies on: tensor, buffer and operator code
/// indices in range (operator inputs may be -1), non-negative dimensions, constant data sizes that match
/// shape × element size, consistent quantization counts. Any malformed file throws a ``ModelError`` naming
/// the byte offset and the table/field; none traps, hangs or allocates more than a small multiple of the
/// file size. Weights are not copied: ``data(of:)`` gives their byte range in ``bytes``.
///
/// The file identifier `TFL3` (bytes 4..<8) is required, as TFLite's flatbuffer verifier requires it;
/// every converter since schema v3 writes it. The schema version must be 3, as in TFLite Micro.
public struct TFLiteModel: Sendable {
    /// The whole file, as given.
    public let bytes: [UInt8]
    /// `Model.version`, the schema version (always 3 once loaded).
    public let schemaVersion: UInt32
    /// `Model.description`, or `nil` when absent.
    public let description: String?
    /// `Model.operator_codes`; ``Operator/opcodeIndex`` indexes it.
    public let operatorCodes: [OperatorCode]
    /// `Model.subgraphs`; never empty. Subgraph 0 is the main model.
    public let subgraphs: [Subgraph]
    /// `Model.buffers`; ``Tensor/buffer`` indexes it.
    public let buffers: [BufferData]

    /// The schema version this reader implements.
    public static let supportedSchemaVersion: UInt32 = 3

    /// Parses and validates a model.
    ///
    /// - Parameter bytes: The whole `.tflite` file.
    /// - Throws: ``ModelError`` describing the first problem found.
    public init(bytes: [UInt8]) throws(ModelError) {
        let reader = ByteReader(bytes: bytes)
        let root = FieldPath.model
        guard bytes.count >= 8 else { throw .truncated(offset: 0, needed: 8, field: root) }
        let identifier = Array(bytes[4..<8])
        guard identifier == [0x54, 0x46, 0x4C, 0x33] else { throw .badFileIdentifier(found: identifier) }
        let model = try FlatBufferTable(
            reader: reader, position: try reader.followOffset(at: 0, field: root), path: root)
        var decoder = ModelDecoder(reader: reader)

        let version = try model.uint32(0, "version")
        guard version == Self.supportedSchemaVersion else { throw .unsupportedSchemaVersion(version) }

        var operatorCodes: [OperatorCode] = []
        if let vector = try decoder.tables(model, 1, "operator_codes") {
            operatorCodes.reserveCapacity(vector.count)
            for index in 0..<vector.count {
                operatorCodes.append(try decoder.operatorCode(try vector.table(at: index)))
            }
        }

        guard let bufferVector = try decoder.tables(model, 4, "buffers") else {
            throw .missingField(root.appending("buffers"))
        }
        var buffers: [BufferData] = []
        buffers.reserveCapacity(bufferVector.count)
        for index in 0..<bufferVector.count {
            buffers.append(try decoder.buffer(try bufferVector.table(at: index)))
        }

        guard let subgraphVector = try decoder.tables(model, 2, "subgraphs"), subgraphVector.count > 0 else {
            throw .missingField(root.appending("subgraphs"))
        }
        var subgraphs: [Subgraph] = []
        subgraphs.reserveCapacity(subgraphVector.count)
        for index in 0..<subgraphVector.count {
            subgraphs.append(
                try decoder.subgraph(
                    try subgraphVector.table(at: index),
                    index: index,
                    operatorCodeCount: operatorCodes.count,
                    buffers: buffers
                )
            )
        }

        self.bytes = bytes
        self.schemaVersion = version
        self.description = try decoder.string(model, 3, "description")
        self.operatorCodes = operatorCodes
        self.subgraphs = subgraphs
        self.buffers = buffers
    }

    // MARK: - Constant data

    /// The byte range of a constant tensor's data in ``bytes``, or `nil` when it has none (or is empty).
    ///
    /// - Parameter tensor: A tensor of this model.
    /// - Returns: The range, inside `bytes`.
    public func data(of tensor: Tensor) -> Range<Int>? {
        guard UInt64(tensor.buffer) < UInt64(buffers.count) else { return nil }
        let range = buffers[Int(tensor.buffer)].range
        guard !range.isEmpty, range.upperBound <= bytes.count else { return nil }
        return range
    }

    /// The operator code an operator runs, or `nil` for an operator of another model.
    ///
    /// - Parameter op: An operator of this model.
    /// - Returns: Its entry of ``operatorCodes``.
    public func operatorCode(of op: Operator) -> OperatorCode? {
        guard UInt64(op.opcodeIndex) < UInt64(operatorCodes.count) else { return nil }
        return operatorCodes[Int(op.opcodeIndex)]
    }

    /// Decodes a constant `INT32` tensor (e.g. a bias) from little-endian bytes.
    ///
    /// - Parameter tensor: A constant `INT32` tensor of this model.
    /// - Returns: One value per element, in row-major order.
    /// - Throws: ``ModelError/tensorTypeMismatch(expected:actual:field:)``, ``ModelError/missingData(_:)``,
    ///   ``ModelError/dataSizeMismatch(expected:actual:field:)`` when the data length is not 4 × elements.
    public func int32Values(of tensor: Tensor) throws(ModelError) -> [Int32] {
        let range = try checkedData(of: tensor, type: .int32)
        let reader = ByteReader(bytes: bytes)
        var values: [Int32] = []
        values.reserveCapacity(range.count / 4)
        for offset in stride(from: range.lowerBound, to: range.upperBound, by: 4) {
            guard let value = reader.int32(at: offset) else {
                throw .truncated(offset: offset, needed: 4, field: tensor.path)
            }
            values.append(value)
        }
        return values
    }

    /// Decodes a constant `FLOAT32` tensor from little-endian IEEE-754 bytes.
    ///
    /// - Parameter tensor: A constant `FLOAT32` tensor of this model.
    /// - Returns: One value per element, in row-major order.
    /// - Throws: as ``int32Values(of:)``.
    public func float32Values(of tensor: Tensor) throws(ModelError) -> [Float] {
        let range = try checkedData(of: tensor, type: .float32)
        let reader = ByteReader(bytes: bytes)
        var values: [Float] = []
        values.reserveCapacity(range.count / 4)
        for offset in stride(from: range.lowerBound, to: range.upperBound, by: 4) {
            guard let value = reader.float32(at: offset) else {
                throw .truncated(offset: offset, needed: 4, field: tensor.path)
            }
            values.append(value)
        }
        return values
    }

    /// The data range of `tensor` after checking its type and that the length is elements × element size.
    private func checkedData(of tensor: Tensor, type: TensorType) throws(ModelError) -> Range<Int> {
        guard tensor.type == type else {
            throw .tensorTypeMismatch(expected: type, actual: tensor.type, field: tensor.path)
        }
        guard let range = data(of: tensor) else { throw .missingData(tensor.path) }
        guard let count = tensor.elementCount, let elementSize = type.byteSize else {
            throw .elementCountOverflow(field: tensor.path)
        }
        let (expected, overflow) = count.multipliedReportingOverflow(by: elementSize)
        guard !overflow, expected == range.count else {
            throw .dataSizeMismatch(expected: overflow ? Int.max : expected, actual: range.count, field: tensor.path)
        }
        return range
    }
}
