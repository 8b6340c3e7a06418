// Shared by the oracle test files whose fixtures come from `oracle/rustlit.py`: each generated
// fixture module defines its own `Case` and `Attr` (it must compile on its own as a test target),
// so this code is `include!`d after `use <fixtures>::{Attr, Case};` instead of being a module.
// It needs `AttrValue, OpArgs, Tensor, lookup` from kernelsmith_reference and `BTreeMap` in scope.

/// Run one case through the registry and compare every output with the numpy values.
fn check(case: &Case) {
    let op = lookup(case.op).unwrap_or_else(|| panic!("{}: `{}` is not registered", case.test, case.op));
    let dims: BTreeMap<String, i64> = case.dims.iter().map(|&(n, v)| (n.to_string(), v)).collect();
    let attrs: BTreeMap<String, AttrValue> = case
        .attrs
        .iter()
        .map(|&(n, v)| {
            let v = match v {
                Attr::Int(i) => AttrValue::Int(i),
                Attr::Float(f) => AttrValue::Float(f),
            };
            (n.to_string(), v)
        })
        .collect();
    let tensors: Vec<Tensor> =
        case.inputs.iter().map(|&(_, shape, vals)| Tensor::from_f32(shape.to_vec(), vals.to_vec())).collect();
    let inputs = case.inputs.iter().zip(&tensors).map(|(&(name, _, _), t)| (name, t)).collect();
    let args = OpArgs { inputs, dims: &dims, attrs: &attrs };

    let got = (op.run)(&args).unwrap_or_else(|e| panic!("{}: {} failed: {e}", case.test, case.op));
    assert_eq!(got.len(), case.outputs.len(), "{}: number of outputs", case.test);
    for (out, &(name, shape, expected)) in got.iter().zip(case.outputs) {
        assert_eq!(out.shape, shape, "{}: shape of output `{name}`", case.test);
        let vals = out.f32s(name).unwrap_or_else(|e| panic!("{}: {e}", case.test));
        assert_eq!(vals.len(), expected.len(), "{}: length of output `{name}`", case.test);
        let bad = vals.iter().zip(expected).enumerate().find(|&(_, (&g, &e))| {
            let g = g as f64;
            !((g - e).abs() <= case.atol + case.rtol * e.abs() || (g.is_nan() && e.is_nan()) || g == e)
        });
        if let Some((i, (&g, &e))) = bad {
            panic!(
                "{}: output `{name}` differs first at flat index {i} (multi-index {:?}): got {g:e}, numpy {e:e}, \
                 |diff| {:e} > atol {:e} + rtol {:e} * |expected|",
                case.test,
                unravel(i, shape),
                (g as f64 - e).abs(),
                case.atol,
                case.rtol
            );
        }
    }
}

/// Row-major flat index → multi-index.
fn unravel(mut i: usize, shape: &[usize]) -> Vec<usize> {
    let mut idx = vec![0; shape.len()];
    for (slot, &s) in idx.iter_mut().zip(shape).rev() {
        *slot = i % s.max(1);
        i /= s.max(1);
    }
    idx
}
