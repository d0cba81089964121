/// The three states a PATCH field needs: absent (leave as is), explicit null (clear it),
/// or a new value.
public enum FieldUpdate<T: Sendable>: Sendable {
    case absent
    case null
    case value(T)
}

extension FieldUpdate: Equatable where T: Equatable {}
