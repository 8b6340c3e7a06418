//! Size expressions: the tiny language of `derived`, shapes, `constraints` and `work`.
//!
//! Grammar (precedence low → high): comparison (`== != < <= > >=`), `+ -`, `* / // %`, unary `-`,
//! atoms (numbers, names, `( … )`, calls `int floor ceil min max`). Values are f64; `//` is floor
//! division and `%` takes the sign of the divisor, as in Python, so task authors can check
//! expressions in a Python shell.

use std::collections::BTreeMap;
use std::fmt;

/// A parsed expression.
#[derive(Clone, Debug, PartialEq)]
pub enum Expr {
    /// A literal.
    Num(f64),
    /// A dim, derived dim or attr.
    Name(String),
    /// Unary minus.
    Neg(Box<Expr>),
    /// A binary operation.
    Bin(BinOp, Box<Expr>, Box<Expr>),
    /// A function call.
    Call(String, Vec<Expr>),
}

/// Binary operators.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[allow(missing_docs)] // the variants are the operators they are named after
pub enum BinOp {
    Add,
    Sub,
    Mul,
    Div,
    FloorDiv,
    Rem,
    Eq,
    Ne,
    Lt,
    Le,
    Gt,
    Ge,
}

/// A parse or evaluation problem, phrased for the task author.
#[derive(Clone, Debug, PartialEq)]
pub struct ExprError(pub String);

impl fmt::Display for ExprError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

#[derive(Clone, Debug, PartialEq)]
enum Tok {
    Num(f64),
    Name(String),
    Op(&'static str),
    LParen,
    RParen,
    Comma,
}

fn lex(src: &str) -> Result<Vec<Tok>, ExprError> {
    let chars: Vec<char> = src.chars().collect();
    let mut i = 0;
    let mut out = Vec::new();
    while i < chars.len() {
        let c = chars[i];
        if c.is_whitespace() {
            i += 1;
        } else if c.is_ascii_digit() || (c == '.' && chars.get(i + 1).is_some_and(|d| d.is_ascii_digit())) {
            let start = i;
            while i < chars.len()
                && (chars[i].is_ascii_digit()
                    || chars[i] == '.'
                    || chars[i] == 'e'
                    || ((chars[i] == '-' || chars[i] == '+') && chars[i - 1] == 'e'))
            {
                i += 1;
            }
            let s: String = chars[start..i].iter().collect();
            let v = s.parse::<f64>().map_err(|_| ExprError(format!("bad number `{s}`")))?;
            out.push(Tok::Num(v));
        } else if c.is_alphabetic() || c == '_' {
            let start = i;
            while i < chars.len() && (chars[i].is_alphanumeric() || chars[i] == '_') {
                i += 1;
            }
            out.push(Tok::Name(chars[start..i].iter().collect()));
        } else {
            let two: String = chars[i..(i + 2).min(chars.len())].iter().collect();
            let op2 = ["//", "==", "!=", "<=", ">="].into_iter().find(|o| *o == two);
            if let Some(op) = op2 {
                out.push(Tok::Op(op));
                i += 2;
                continue;
            }
            let tok = match c {
                '+' => Tok::Op("+"),
                '-' => Tok::Op("-"),
                '*' => Tok::Op("*"),
                '/' => Tok::Op("/"),
                '%' => Tok::Op("%"),
                '<' => Tok::Op("<"),
                '>' => Tok::Op(">"),
                '(' => Tok::LParen,
                ')' => Tok::RParen,
                ',' => Tok::Comma,
                other => return Err(ExprError(format!("unexpected character `{other}`"))),
            };
            out.push(tok);
            i += 1;
        }
    }
    Ok(out)
}

struct Parser {
    toks: Vec<Tok>,
    pos: usize,
}

impl Parser {
    fn peek(&self) -> Option<&Tok> {
        self.toks.get(self.pos)
    }
    fn next(&mut self) -> Option<Tok> {
        let t = self.toks.get(self.pos).cloned();
        self.pos += 1;
        t
    }
    fn eat_op(&mut self, ops: &[&'static str]) -> Option<&'static str> {
        if let Some(Tok::Op(o)) = self.peek()
            && let Some(found) = ops.iter().find(|x| *x == o)
        {
            self.pos += 1;
            return Some(found);
        }
        None
    }
    fn comparison(&mut self) -> Result<Expr, ExprError> {
        let lhs = self.sum()?;
        if let Some(op) = self.eat_op(&["==", "!=", "<=", ">=", "<", ">"]) {
            let rhs = self.sum()?;
            let op = match op {
                "==" => BinOp::Eq,
                "!=" => BinOp::Ne,
                "<=" => BinOp::Le,
                ">=" => BinOp::Ge,
                "<" => BinOp::Lt,
                _ => BinOp::Gt,
            };
            return Ok(Expr::Bin(op, Box::new(lhs), Box::new(rhs)));
        }
        Ok(lhs)
    }
    fn sum(&mut self) -> Result<Expr, ExprError> {
        let mut lhs = self.product()?;
        while let Some(op) = self.eat_op(&["+", "-"]) {
            let rhs = self.product()?;
            let op = if op == "+" { BinOp::Add } else { BinOp::Sub };
            lhs = Expr::Bin(op, Box::new(lhs), Box::new(rhs));
        }
        Ok(lhs)
    }
    fn product(&mut self) -> Result<Expr, ExprError> {
        let mut lhs = self.unary()?;
        while let Some(op) = self.eat_op(&["*", "//", "/", "%"]) {
            let rhs = self.unary()?;
            let op = match op {
                "*" => BinOp::Mul,
                "//" => BinOp::FloorDiv,
                "/" => BinOp::Div,
                _ => BinOp::Rem,
            };
            lhs = Expr::Bin(op, Box::new(lhs), Box::new(rhs));
        }
        Ok(lhs)
    }
    fn unary(&mut self) -> Result<Expr, ExprError> {
        if self.eat_op(&["-"]).is_some() {
            return Ok(Expr::Neg(Box::new(self.unary()?)));
        }
        self.atom()
    }
    fn atom(&mut self) -> Result<Expr, ExprError> {
        match self.next() {
            Some(Tok::Num(v)) => Ok(Expr::Num(v)),
            Some(Tok::Name(n)) => {
                if self.peek() == Some(&Tok::LParen) {
                    self.pos += 1;
                    let mut args = Vec::new();
                    if self.peek() != Some(&Tok::RParen) {
                        loop {
                            args.push(self.comparison()?);
                            if self.peek() == Some(&Tok::Comma) {
                                self.pos += 1;
                            } else {
                                break;
                            }
                        }
                    }
                    match self.next() {
                        Some(Tok::RParen) => {}
                        _ => return Err(ExprError(format!("missing `)` after arguments of `{n}`"))),
                    }
                    let arity = match n.as_str() {
                        "int" | "floor" | "ceil" => 1,
                        "min" | "max" => 2,
                        _ => {
                            return Err(ExprError(format!(
                                "unknown function `{n}` (known: int, floor, ceil, min, max)"
                            )));
                        }
                    };
                    if args.len() != arity {
                        return Err(ExprError(format!("`{n}` takes {arity} argument(s), got {}", args.len())));
                    }
                    Ok(Expr::Call(n, args))
                } else {
                    Ok(Expr::Name(n))
                }
            }
            Some(Tok::LParen) => {
                let e = self.comparison()?;
                match self.next() {
                    Some(Tok::RParen) => Ok(e),
                    _ => Err(ExprError("missing `)`".into())),
                }
            }
            Some(t) => Err(ExprError(format!("unexpected {t:?}"))),
            None => Err(ExprError("unexpected end of expression".into())),
        }
    }
}

impl Expr {
    /// Parse an expression.
    pub fn parse(src: &str) -> Result<Expr, ExprError> {
        let toks = lex(src)?;
        if toks.is_empty() {
            return Err(ExprError("empty expression".into()));
        }
        let mut p = Parser { toks, pos: 0 };
        let e = p.comparison()?;
        if p.pos != p.toks.len() {
            return Err(ExprError(format!("unexpected {:?} after a complete expression", p.toks[p.pos])));
        }
        Ok(e)
    }

    /// Every name the expression mentions.
    pub fn names(&self) -> Vec<&str> {
        let mut out = Vec::new();
        self.collect_names(&mut out);
        out
    }

    fn collect_names<'a>(&'a self, out: &mut Vec<&'a str>) {
        match self {
            Expr::Num(_) => {}
            Expr::Name(n) => out.push(n),
            Expr::Neg(e) => e.collect_names(out),
            Expr::Bin(_, a, b) => {
                a.collect_names(out);
                b.collect_names(out);
            }
            Expr::Call(_, args) => args.iter().for_each(|a| a.collect_names(out)),
        }
    }

    /// Evaluate with the given bindings.
    pub fn eval(&self, env: &BTreeMap<String, f64>) -> Result<f64, ExprError> {
        Ok(match self {
            Expr::Num(v) => *v,
            Expr::Name(n) => *env.get(n).ok_or_else(|| ExprError(format!("undefined symbol `{n}`")))?,
            Expr::Neg(e) => -e.eval(env)?,
            Expr::Bin(op, a, b) => {
                let (x, y) = (a.eval(env)?, b.eval(env)?);
                let truth = |c: bool| f64::from(u8::from(c));
                match op {
                    BinOp::Add => x + y,
                    BinOp::Sub => x - y,
                    BinOp::Mul => x * y,
                    BinOp::Div | BinOp::FloorDiv | BinOp::Rem if y == 0.0 => {
                        return Err(ExprError("division by zero".into()));
                    }
                    BinOp::Div => x / y,
                    BinOp::FloorDiv => (x / y).floor(),
                    BinOp::Rem => x - y * (x / y).floor(),
                    BinOp::Eq => truth(x == y),
                    BinOp::Ne => truth(x != y),
                    BinOp::Lt => truth(x < y),
                    BinOp::Le => truth(x <= y),
                    BinOp::Gt => truth(x > y),
                    BinOp::Ge => truth(x >= y),
                }
            }
            Expr::Call(f, args) => {
                let v: Vec<f64> = args.iter().map(|a| a.eval(env)).collect::<Result<_, _>>()?;
                match f.as_str() {
                    "int" => v[0].trunc(),
                    "floor" => v[0].floor(),
                    "ceil" => v[0].ceil(),
                    "min" => v[0].min(v[1]),
                    _ => v[0].max(v[1]),
                }
            }
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn eval(src: &str, env: &[(&str, f64)]) -> Result<f64, ExprError> {
        let env = env.iter().map(|(k, v)| (k.to_string(), *v)).collect();
        Expr::parse(src)?.eval(&env)
    }

    #[test]
    fn arithmetic_follows_python_precedence_and_floor_semantics() {
        assert_eq!(
            eval(
                "(H + 2*pad - dilation*(kh - 1) - 1) // stride + 1",
                &[("H", 13.0), ("pad", 1.0), ("dilation", 1.0), ("kh", 3.0), ("stride", 2.0)]
            ),
            Ok(7.0)
        );
        assert_eq!(eval("-7 // 2", &[]), Ok(-4.0));
        assert_eq!(eval("-7 % 3", &[]), Ok(2.0));
        assert_eq!(eval("int(C * 0.125)", &[("C", 36.0)]), Ok(4.0));
        assert_eq!(eval("max(1, min(a, 3)) + ceil(2.5)", &[("a", 7.0)]), Ok(6.0));
        assert_eq!(eval("C % 8 == 0", &[("C", 64.0)]), Ok(1.0));
        assert_eq!(eval("k * d <= L", &[("k", 7.0), ("d", 3.0), ("L", 20.0)]), Ok(0.0));
        assert_eq!(eval("1e-5 * 2", &[]), Ok(2e-5));
    }

    #[test]
    fn errors_say_what_is_wrong() {
        assert_eq!(eval("H + Q", &[("H", 1.0)]).unwrap_err().0, "undefined symbol `Q`");
        assert!(Expr::parse("(H + 1").unwrap_err().0.contains("missing `)`"));
        assert!(Expr::parse("sqrt(H)").unwrap_err().0.contains("unknown function `sqrt`"));
        assert!(Expr::parse("H $ 2").unwrap_err().0.contains("unexpected character `$`"));
        assert_eq!(eval("H // 0", &[("H", 1.0)]).unwrap_err().0, "division by zero");
        assert_eq!(Expr::parse("a + b * c").unwrap().names(), vec!["a", "b", "c"]);
    }
}
