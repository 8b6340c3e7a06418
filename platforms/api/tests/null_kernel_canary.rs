//! The null-kernel canary: for every task in the catalogue, an output of all zeros and an output
//! that copies the first input must both be rejected by the task's own tolerance. A task where
//! either passes has a tolerance (or input distribution) bug that would score cheating kernels.

use kernelsmith_platform::compare::compare;
use kernelsmith_reference::{Data, Tensor};
use kernelsmith_tasks::{Registry, SizeName};

/// `src`'s elements, reinterpreted (truncated or zero-padded) as a tensor shaped like `like`.
fn copy_as(src: &Tensor, like: &Tensor) -> Tensor {
    let n = like.numel();
    let mut out = Data::zeros(like.dtype(), n);
    if let (Data::F32(dst), Data::F32(s)) = (&mut out, &src.data) {
        for (d, v) in dst.iter_mut().zip(s) {
            *d = *v;
        }
    }
    Tensor::new(like.shape.clone(), out).unwrap()
}

#[test]
fn zeros_and_a_copy_of_the_first_input_fail_every_task() {
    let reg = Registry::embedded().unwrap();
    let mut checked = 0;
    for task in reg.tasks() {
        for size in [SizeName::Tiny, SizeName::Heldout] {
            let r = task.resolve(size).unwrap();
            let inputs = task.generate_inputs(&r, 11);
            let expected = task.run_reference(&r, &inputs).unwrap();
            let zeros: Vec<Tensor> = expected.iter().map(|e| Tensor::zeros(e.dtype(), e.shape.clone())).collect();
            let copies: Vec<Tensor> = expected.iter().map(|e| copy_as(&inputs[0], e)).collect();
            for (kind, fake) in [("all-zeros", &zeros), ("copy of the first input", &copies)] {
                let any_output_fails = task
                    .outputs
                    .iter()
                    .zip(fake.iter().zip(&expected))
                    .any(|(spec, (g, e))| !compare(&spec.name, g, e, task.tolerance).passed());
                assert!(any_output_fails, "task `{}` at size `{size}`: an {kind} output passes its tolerance", task.id);
                checked += 1;
            }
        }
    }
    assert_eq!(checked, reg.tasks().len() * 4);
}
