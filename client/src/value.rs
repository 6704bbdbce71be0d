//! Reading subxt's dynamic values: storage entries and events decoded by their names in the
//! node's metadata, so the client needs no generated code and no runtime crate.
//!
//! Every reader says what it expected when the value has another shape (another runtime).

use subxt::{
	dynamic::{At, Value},
	ext::scale_value::{Composite, Primitive, ValueDef},
};

/// The field `name` of a composite (struct) value.
pub fn field<'a, T>(value: &'a Value<T>, name: &str) -> Result<&'a Value<T>, String> {
	value.at(name).ok_or_else(|| format!("no field `{name}`"))
}

/// A dynamic value as JSON for people and web pages: structs as objects, tuples and sequences as
/// arrays, enums as `{"<variant>": fields}` (a variant without fields as its name), byte strings
/// as `0x` hex, and integers beyond JavaScript's exact range (2^53) as decimal strings, so a
/// balance of 10^22 loses no digit. A value carries no types, so a sequence whose integers all
/// fit in a byte reads as hex whatever its element type.
pub fn to_json<T>(value: &Value<T>) -> serde_json::Value {
	use serde_json::Value as Json;
	const EXACT_IN_JAVASCRIPT: u128 = 1 << 53;
	match &value.value {
		ValueDef::Composite(composite) => {
			// A struct keeps its field names even when its one field is bytes (`{ account }`).
			let unnamed = matches!(composite, Composite::Unnamed(_));
			if let Some(bytes) = value_bytes(value).filter(|bytes| unnamed && !bytes.is_empty()) {
				return Json::String(zerog_primitives::hex::to_prefixed_hex(&bytes));
			}
			composite_json(composite)
		},
		ValueDef::Variant(variant) => match &variant.values {
			values if values.is_empty() => Json::String(variant.name.clone()),
			values => serde_json::json!({ variant.name.as_str(): composite_json(values) }),
		},
		ValueDef::Primitive(primitive) => match primitive {
			Primitive::Bool(flag) => Json::Bool(*flag),
			Primitive::Char(character) => Json::String(character.to_string()),
			Primitive::String(text) => Json::String(text.clone()),
			Primitive::U128(number) if *number <= EXACT_IN_JAVASCRIPT => Json::from(*number as u64),
			Primitive::U128(number) => Json::String(number.to_string()),
			Primitive::I128(number) if number.unsigned_abs() <= EXACT_IN_JAVASCRIPT => {
				Json::from(*number as i64)
			},
			Primitive::I128(number) => Json::String(number.to_string()),
			Primitive::U256(bytes) | Primitive::I256(bytes) => {
				Json::String(zerog_primitives::hex::to_prefixed_hex(bytes))
			},
		},
		ValueDef::BitSequence(bits) => {
			Json::String(bits.iter().map(|bit| if bit { '1' } else { '0' }).collect())
		},
	}
}

/// A composite's fields as a JSON object (named) or array (unnamed); one unnamed field is the
/// field itself.
fn composite_json<T>(composite: &Composite<T>) -> serde_json::Value {
	match composite {
		Composite::Named(fields) => serde_json::Value::Object(
			fields.iter().map(|(name, value)| (name.clone(), to_json(value))).collect(),
		),
		Composite::Unnamed(values) if values.len() == 1 => to_json(&values[0]),
		Composite::Unnamed(values) => values.iter().map(to_json).collect(),
	}
}

/// An unsigned integer value (any width up to `u128`).
pub fn number<T>(value: &Value<T>) -> Result<u128, String> {
	value.as_u128().ok_or_else(|| format!("not an unsigned integer: {}", describe(value)))
}

/// The unsigned integer field `name`.
pub fn number_field<T>(value: &Value<T>, name: &str) -> Result<u128, String> {
	number(field(value, name)?).map_err(|error| format!("`{name}`: {error}"))
}

/// The name of an enum value's variant.
pub fn variant_name<T>(value: &Value<T>) -> Result<&str, String> {
	match &value.value {
		ValueDef::Variant(variant) => Ok(variant.name.as_str()),
		_ => Err(format!("not an enum: {}", describe(value))),
	}
}

/// The 32 bytes of a value that wraps a `[u8; 32]` (an account, an `H256`), at any depth of
/// single-field composites.
pub fn bytes32<T>(value: &Value<T>) -> Result<[u8; 32], String> {
	let mut bytes = Vec::with_capacity(32);
	collect_bytes(value, &mut bytes)?;
	let found = bytes.len();
	bytes.try_into().map_err(|_| format!("expected 32 bytes, found {found}"))
}

/// The bytes of a dynamic value holding a byte string (`Vec<u8>`, `BoundedVec<u8, _>`, or
/// a newtype around one).
pub fn value_bytes<T>(value: &Value<T>) -> Option<Vec<u8>> {
	match &value.value {
		ValueDef::Composite(composite) => {
			let children: Vec<&Value<T>> = match composite {
				Composite::Named(fields) => fields.iter().map(|(_, value)| value).collect(),
				Composite::Unnamed(values) => values.iter().collect(),
			};
			// A newtype (`BoundedVec`) wraps the sequence in a one-field composite.
			if let [only] = children.as_slice() {
				if matches!(only.value, ValueDef::Composite(_)) {
					return value_bytes(only);
				}
			}
			children
				.iter()
				.map(|child| match child.value {
					ValueDef::Primitive(Primitive::U128(byte)) => u8::try_from(byte).ok(),
					_ => None,
				})
				.collect()
		},
		_ => None,
	}
}

/// The byte-string field `name` as text (model names and endpoints are UTF-8 by convention;
/// other bytes are replaced, never refused).
pub fn text_field<T>(value: &Value<T>, name: &str) -> Result<String, String> {
	let bytes =
		value_bytes(field(value, name)?).ok_or_else(|| format!("`{name}` is not a byte string"))?;
	Ok(String::from_utf8_lossy(&bytes).into_owned())
}

/// Appends the bytes of a (nested) composite of `u8` values.
fn collect_bytes<T>(value: &Value<T>, bytes: &mut Vec<u8>) -> Result<(), String> {
	match &value.value {
		ValueDef::Primitive(Primitive::U128(byte)) => {
			bytes.push(u8::try_from(*byte).map_err(|_| format!("{byte} is not a byte"))?);
			Ok(())
		},
		ValueDef::Composite(Composite::Unnamed(values)) => {
			values.iter().try_for_each(|value| collect_bytes(value, bytes))
		},
		ValueDef::Composite(Composite::Named(values)) => {
			values.iter().try_for_each(|(_, value)| collect_bytes(value, bytes))
		},
		_ => Err(format!("not bytes: {}", describe(value))),
	}
}

/// A short description of a value's shape, for errors.
fn describe<T>(value: &Value<T>) -> &'static str {
	match &value.value {
		ValueDef::Composite(_) => "a composite",
		ValueDef::Variant(_) => "an enum variant",
		ValueDef::BitSequence(_) => "a bit sequence",
		ValueDef::Primitive(Primitive::U128(_)) => "an unsigned integer",
		ValueDef::Primitive(_) => "a primitive that is not an unsigned integer",
	}
}

/// The elements of a sequence value (a `Vec`, or a `BoundedVec` wrapping one).
pub fn sequence<T>(value: &Value<T>) -> Result<Vec<&Value<T>>, String> {
	use subxt::ext::scale_value::{Composite, ValueDef};
	match &value.value {
		ValueDef::Composite(Composite::Unnamed(values)) => {
			// A `BoundedVec` is a one-field newtype around the sequence.
			if let [only] = values.as_slice() {
				if let ValueDef::Composite(Composite::Unnamed(inner)) = &only.value {
					if inner.iter().all(|item| matches!(item.value, ValueDef::Composite(_))) {
						return Ok(inner.iter().collect());
					}
				}
			}
			Ok(values.iter().collect())
		},
		_ => Err("not a sequence".to_owned()),
	}
}

#[cfg(test)]
mod tests {
	use super::*;

	#[test]
	fn values_read_as_json_without_losing_digits() {
		let transfer = Value::named_composite([
			("dest", Value::unnamed_variant("Id", [Value::from_bytes([7u8; 32])])),
			("value", Value::u128(10_000_000_000_000_000_000_000)),
			("small", Value::u128(42)),
			("flag", Value::bool(true)),
			("kind", Value::unnamed_variant("Model", [])),
		]);
		assert_eq!(
			to_json(&transfer),
			serde_json::json!({
				"dest": { "Id": format!("0x{}", "07".repeat(32)) },
				"value": "10000000000000000000000",
				"small": 42,
				"flag": true,
				"kind": "Model",
			})
		);
		let new_account = Value::named_composite([("account", Value::from_bytes([7u8; 32]))]);
		assert_eq!(
			to_json(&new_account),
			serde_json::json!({ "account": format!("0x{}", "07".repeat(32)) })
		);
		let numbers = Value::unnamed_composite([Value::u128(1000), Value::u128(2)]);
		assert_eq!(to_json(&numbers), serde_json::json!([1000, 2]));
		let bytes = Value::unnamed_composite([Value::u128(1), Value::u128(2)]);
		assert_eq!(to_json(&bytes), serde_json::json!("0x0102"));
	}

	#[test]
	fn byte_strings_are_read_from_values() {
		let bytes = Value::from_bytes(b"ws://10.0.0.1:9944");
		assert_eq!(value_bytes(&bytes).unwrap(), b"ws://10.0.0.1:9944");
		let newtype = Value::unnamed_composite([Value::from_bytes(b"http://x")]);
		assert_eq!(value_bytes(&newtype).unwrap(), b"http://x");
		assert_eq!(value_bytes(&Value::u128(300)), None);
		assert_eq!(value_bytes(&Value::unnamed_composite([Value::u128(300)])), None);
	}

	#[test]
	fn bytes_are_read_through_wrapping_composites() {
		let inner = Value::from_bytes([5u8; 32]);
		let wrapped = Value::unnamed_composite([inner.clone()]);
		assert_eq!(bytes32(&wrapped), Ok([5; 32]));
		assert_eq!(bytes32(&inner), Ok([5; 32]));
		assert!(bytes32(&Value::from_bytes([1u8; 31])).unwrap_err().contains("31"));
		assert!(bytes32(&Value::u128(300)).is_err());
	}

	#[test]
	fn struct_fields_are_read_by_name() {
		let info = Value::named_composite([
			("provider", Value::from_bytes([1u8; 32])),
			("kind", Value::unnamed_variant("Inference", [])),
			("input_price_per_token", Value::u128(3)),
			("model", Value::from_bytes(b"llama")),
			(
				"verifiability",
				Value::named_variant("Tee", [("signer", Value::from_bytes([2u8; 32]))]),
			),
		]);
		assert_eq!(variant_name(field(&info, "kind").unwrap()), Ok("Inference"));
		assert_eq!(number_field(&info, "input_price_per_token"), Ok(3));
		assert_eq!(text_field(&info, "model"), Ok("llama".into()));
		let signer = field(field(&info, "verifiability").unwrap(), "signer").unwrap();
		assert_eq!(bytes32(signer), Ok([2; 32]));
		assert!(field(&info, "stake").unwrap_err().contains("stake"));
		assert!(number_field(&info, "kind").unwrap_err().contains("`kind`"));
	}
}
