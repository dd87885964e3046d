/// One entry of `Model.operator_codes`: which operator an ``Operator`` runs.
public struct OperatorCode: Sendable, Equatable {
    /// The effective builtin code: TFLite's `GetBuiltinCode`, `max(builtin_code, deprecated_builtin_code)`.
    ///
    /// Schema-v3 files (old TOCO) only set the byte `deprecated_builtin_code` (field 0); newer files also
    /// set the `int32` `builtin_code` (field 3), which alone can hold codes above 127.
    public let builtin: BuiltinOperator
    /// `version` of the operator (default 1).
    public let version: Int32
    /// `custom_code`, the name of a custom operator (`builtin` is then `.custom`).
    public let customCode: String?
    /// `deprecated_builtin_code` as stored (field 0).
    public let deprecatedBuiltinCode: Int8

    /// Creates an operator code.
    public init(
        builtin: BuiltinOperator, version: Int32 = 1, customCode: String? = nil, deprecatedBuiltinCode: Int8 = 0
    ) {
        self.builtin = builtin
        self.version = version
        self.customCode = customCode
        self.deprecatedBuiltinCode = deprecatedBuiltinCode
    }
}

extension ModelDecoder {
    /// Decodes an `OperatorCode` table.
    ///
    /// - Throws: ``ModelError/invalidEnumValue(_:offset:field:)`` when the effective code is negative.
    mutating func operatorCode(_ table: FlatBufferTable) throws(ModelError) -> OperatorCode {
        let deprecated = try table.int8(0, "deprecated_builtin_code")
        let customCode = try string(table, 1, "custom_code")
        let version = try table.int32(2, "version", default: 1)
        let builtinCode = try table.int32(3, "builtin_code")
        let effective = max(builtinCode, Int32(deprecated))
        guard effective >= 0 else {
            let field = builtinCode < 0 ? "builtin_code" : "deprecated_builtin_code"
            let offset = try table.fieldOffset(builtinCode < 0 ? 3 : 0, size: 1, name: field) ?? table.position
            throw .invalidEnumValue(Int64(effective), offset: offset, field: table.path.appending(field))
        }
        return OperatorCode(
            builtin: BuiltinOperator(rawValue: effective),
            version: version,
            customCode: customCode,
            deprecatedBuiltinCode: deprecated
        )
    }
}
