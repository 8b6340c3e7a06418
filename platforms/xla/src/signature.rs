//! The Python ABI of a task: the entry-point text shown in prompts, the `signature.json` the
//! worker reads beside every artifact (dim names are not in the protocol, which sends dim values
//! in ABI order), and the shapes of every size preset for the compile step.

use kernelsmith_reference::DType;
use kernelsmith_tasks::{SizeName, Task, TaskError};
use serde_json::{Value, json};

/// The numpy/JAX spelling of a task dtype.
pub(crate) fn jnp_dtype(d: DType) -> &'static str {
    match d {
        DType::F32 => "float32",
        DType::F16 => "float16",
        DType::BF16 => "bfloat16",
        DType::I8 => "int8",
        DType::I32 => "int32",
        DType::I64 => "int64",
        DType::U8 => "uint8",
    }
}

/// The entry point a candidate must define, as Python (prompts show it verbatim).
pub fn python_abi(task: &Task) -> String {
    let tensor =
        |t: &kernelsmith_tasks::TensorSpec| format!("{} {}[{}]", t.name, jnp_dtype(t.dtype), t.shape_src.join(", "));
    let mut params: Vec<String> = task.inputs.iter().map(|t| format!("{}: jax.Array", t.name)).collect();
    if !task.dims.is_empty() {
        params.push("*".into());
        params.extend(task.dims.iter().map(|d| format!("{d}: int")));
    }
    let ret = if task.outputs.len() == 1 {
        "jax.Array".to_string()
    } else {
        format!("tuple[{}]", vec!["jax.Array"; task.outputs.len()].join(", "))
    };
    let returns = if task.outputs.len() == 1 {
        tensor(&task.outputs[0])
    } else {
        format!("({})", task.outputs.iter().map(tensor).collect::<Vec<_>>().join(", "))
    };
    format!(
        "import jax\n\ndef kernel({}) -> {ret}:\n    \"\"\"Inputs:  {}\n    Returns: {returns}\"\"\"",
        params.join(", "),
        task.inputs.iter().map(tensor).collect::<Vec<_>>().join(", "),
    )
}

/// What the worker needs to call `kernel`: dim names in ABI order, tensor names and dtypes.
pub(crate) fn signature_json(task: &Task) -> Value {
    let t = |ts: &[kernelsmith_tasks::TensorSpec]| -> Vec<Value> {
        ts.iter().map(|x| json!({"name": x.name, "dtype": x.dtype.name()})).collect()
    };
    json!({"task": task.id, "dims": task.dims, "inputs": t(&task.inputs), "outputs": t(&task.outputs)})
}

/// Every tensor's shape at `sizes`, for the compile step's traces.
pub(crate) fn sizes_json(task: &Task, sizes: &[SizeName]) -> Result<Value, TaskError> {
    let mut out = Vec::new();
    for &s in sizes {
        let r = task.resolve(s)?;
        let dims: serde_json::Map<String, Value> =
            task.dims.iter().zip(&r.dim_values).map(|(d, v)| (d.clone(), json!(v))).collect();
        let t = |ts: &[kernelsmith_tasks::TensorSpec], shapes: &[Vec<usize>]| -> Vec<Value> {
            ts.iter().zip(shapes).map(|(x, sh)| json!({"name": x.name, "dtype": x.dtype.name(), "shape": sh})).collect()
        };
        out.push(json!({
            "name": s.name(),
            "dims": dims,
            "inputs": t(&task.inputs, &r.input_shapes),
            "outputs": t(&task.outputs, &r.output_shapes),
        }));
    }
    Ok(Value::Array(out))
}

#[cfg(test)]
mod tests {
    use super::*;
    use kernelsmith_tasks::Registry;

    #[test]
    fn the_abi_names_inputs_dims_and_outputs_with_jax_dtypes() {
        let reg = Registry::embedded().unwrap();
        let relu = reg.get("relu").unwrap();
        assert_eq!(
            python_abi(relu),
            "import jax\n\ndef kernel(x: jax.Array, *, N: int) -> jax.Array:\n    \"\"\"Inputs:  x float32[N]\n    Returns: y float32[N]\"\"\""
        );
        let two = reg.tasks().iter().find(|t| t.outputs.len() == 2).expect("a task with two outputs");
        let abi = python_abi(two);
        assert!(abi.contains("-> tuple[jax.Array, jax.Array]:"), "{abi}");
        assert!(abi.contains(&format!("Returns: ({} ", two.outputs[0].name)), "{abi}");
        let sig = signature_json(relu);
        assert_eq!(sig["dims"], json!(["N"]));
        assert_eq!(sig["outputs"][0], json!({"name": "y", "dtype": "f32"}));
        let sizes = sizes_json(relu, &[SizeName::Tiny, SizeName::Heldout]).unwrap();
        assert_eq!(sizes[1]["dims"]["N"], json!(10007));
        assert_eq!(sizes[0]["inputs"][0]["shape"], json!([4096]));
    }
}
