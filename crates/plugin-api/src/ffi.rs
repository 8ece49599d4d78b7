//! The C ABI between the host and a plugin library.
//!
//! A plugin exports three symbols:
//!
//! | symbol | signature | purpose |
//! |---|---|---|
//! | [`SYMBOL_ABI_VERSION`] | `extern "C" fn() -> u32` | handshake: must equal [`crate::ABI_VERSION`] |
//! | [`SYMBOL_CALL`] | [`CallFn`] | one call: method id + request bytes in, status + bytes out |
//! | [`SYMBOL_FREE`] | [`FreeFn`] | frees a [`Buffer`] that `call` allocated |
//!
//! Ownership never crosses: the host owns the request bytes and only lends them for the call;
//! the plugin allocates the answer and the host hands it back to the plugin's own `free` once it
//! has decoded it. Status codes are [`STATUS_OK`] (the buffer holds the encoded answer),
//! [`STATUS_INVALID_REQUEST`] and [`STATUS_FAILED`] (the buffer holds a UTF-8 message).
//! Panics are caught in [`call_entry`], inside the plugin, and never unwind into the host.

use std::panic::{AssertUnwindSafe, catch_unwind};

use prost::Message;

use crate::{Authority, Method, PluginError, pb};

pub const SYMBOL_ABI_VERSION: &[u8] = b"continuum_plugin_abi_version";
pub const SYMBOL_CALL: &[u8] = b"continuum_plugin_call";
pub const SYMBOL_FREE: &[u8] = b"continuum_plugin_free";

/// The call succeeded; the buffer holds the encoded answer.
pub const STATUS_OK: i32 = 0;
/// The request was refused; the buffer holds `field\0message` in UTF-8.
pub const STATUS_INVALID_REQUEST: i32 = 1;
/// The plugin failed (including a caught panic); the buffer holds a UTF-8 message.
pub const STATUS_FAILED: i32 = 2;

pub type AbiVersionFn = unsafe extern "C" fn() -> u32;
pub type CallFn = unsafe extern "C" fn(
    method: u32,
    input: *const u8,
    input_len: usize,
    output: *mut Buffer,
) -> i32;
pub type FreeFn = unsafe extern "C" fn(buffer: Buffer);

/// Bytes allocated by one side of the boundary and lent to the other.
/// Only the side that allocated a buffer may free it.
#[repr(C)]
#[derive(Debug)]
pub struct Buffer {
    pub ptr: *mut u8,
    pub len: usize,
    pub cap: usize,
}

impl Buffer {
    pub const fn empty() -> Buffer {
        Buffer {
            ptr: std::ptr::null_mut(),
            len: 0,
            cap: 0,
        }
    }

    /// Give a vector's memory away as a buffer; [`free_buffer`] takes it back.
    pub fn from_vec(bytes: Vec<u8>) -> Buffer {
        let mut bytes = std::mem::ManuallyDrop::new(bytes);
        Buffer {
            ptr: bytes.as_mut_ptr(),
            len: bytes.len(),
            cap: bytes.capacity(),
        }
    }

    /// View the bytes without taking ownership.
    ///
    /// # Safety
    /// The buffer must be empty or come from [`Buffer::from_vec`] and not be freed yet.
    pub unsafe fn as_slice(&self) -> &[u8] {
        if self.ptr.is_null() || self.len == 0 {
            &[]
        } else {
            // SAFETY: per the contract above, `ptr` points to `len` initialised bytes.
            unsafe { std::slice::from_raw_parts(self.ptr, self.len) }
        }
    }
}

/// Free a buffer made by [`Buffer::from_vec`] in this same library.
///
/// # Safety
/// `buffer` must be empty or come from [`Buffer::from_vec`] in this library, and be freed once.
pub unsafe fn free_buffer(buffer: Buffer) {
    if !buffer.ptr.is_null() {
        // SAFETY: the parts are exactly those of the vector `from_vec` forgot.
        drop(unsafe { Vec::from_raw_parts(buffer.ptr, buffer.len, buffer.cap) });
    }
}

/// The body of a plugin's `continuum_plugin_call`: catches panics (including one while the
/// authority value is being made), dispatches, and writes the answer or error to `output`.
///
/// # Safety
/// `input` must point to `input_len` readable bytes (or be null with `input_len == 0`) and
/// `output` must point to a writable [`Buffer`].
pub unsafe fn call_entry<A: Authority>(
    authority: impl FnOnce() -> &'static A,
    method: u32,
    input: *const u8,
    input_len: usize,
    output: *mut Buffer,
) -> i32 {
    let input: &[u8] = if input.is_null() || input_len == 0 {
        &[]
    } else {
        // SAFETY: guaranteed by the caller.
        unsafe { std::slice::from_raw_parts(input, input_len) }
    };
    let (status, bytes) =
        match catch_unwind(AssertUnwindSafe(|| dispatch(authority(), method, input))) {
            Ok(Ok(bytes)) => (STATUS_OK, bytes),
            Ok(Err(error)) => encode_error(&error),
            Err(payload) => (
                STATUS_FAILED,
                format!("plugin panicked: {}", panic_message(payload.as_ref())).into_bytes(),
            ),
        };
    if output.is_null() {
        return STATUS_FAILED;
    }
    // SAFETY: guaranteed by the caller.
    unsafe { output.write(Buffer::from_vec(bytes)) };
    status
}

/// Decode the request for `method`, call the authority, and encode its answer.
/// This is the whole of what crosses the boundary, minus the C calling convention; benchmarks
/// and tests call it in-process to compare.
pub fn dispatch<A: Authority + ?Sized>(
    authority: &A,
    method: u32,
    input: &[u8],
) -> Result<Vec<u8>, PluginError> {
    fn decode<T: Message + Default>(input: &[u8]) -> Result<T, PluginError> {
        T::decode(input)
            .map_err(|e| PluginError::invalid("", format!("request does not decode: {e}")))
    }
    let Some(method) = Method::from_id(method) else {
        return Err(PluginError::Failed(format!(
            "unknown method id {method}: the host speaks a protocol this plugin does not"
        )));
    };
    Ok(match method {
        Method::Describe => authority.describe().encode_to_vec(),
        Method::AssessThreshold => authority
            .assess_threshold(&decode::<pb::ThresholdRequest>(input)?)?
            .encode_to_vec(),
        Method::RouteContact => authority
            .route_contact(&decode::<pb::ContactRequest>(input)?)?
            .encode_to_vec(),
        Method::NextPanel => authority
            .next_panel(&decode::<pb::PanelRequest>(input)?)?
            .encode_to_vec(),
        Method::Timescales => authority
            .timescales(&decode::<pb::TimescaleRequest>(input)?)?
            .encode_to_vec(),
        Method::CheckTransition => authority
            .check_transition(&decode::<pb::TransitionRequest>(input)?)?
            .encode_to_vec(),
    })
}

/// The wire form of an error: status and message bytes.
pub fn encode_error(error: &PluginError) -> (i32, Vec<u8>) {
    match error {
        PluginError::InvalidRequest { field, message } => (
            STATUS_INVALID_REQUEST,
            format!("{field}\0{message}").into_bytes(),
        ),
        PluginError::Failed(message) => (STATUS_FAILED, message.clone().into_bytes()),
    }
}

/// Read an error back from its wire form (used by the host).
pub fn decode_error(status: i32, bytes: &[u8]) -> PluginError {
    let text = String::from_utf8_lossy(bytes);
    match status {
        STATUS_INVALID_REQUEST => match text.split_once('\0') {
            Some((field, message)) => PluginError::invalid(field, message),
            None => PluginError::invalid("", text),
        },
        STATUS_FAILED => PluginError::Failed(text.into_owned()),
        other => PluginError::Failed(format!("unknown status {other}: {text}")),
    }
}

fn panic_message(payload: &(dyn std::any::Any + Send)) -> &str {
    if let Some(s) = payload.downcast_ref::<&str>() {
        s
    } else if let Some(s) = payload.downcast_ref::<String>() {
        s
    } else {
        "(non-string panic payload)"
    }
}
