//! The model's queries, on small programs: every binding kind, shadowing, resolution across
//! scopes, qualified names, uses (mutation, escape, read-after) and simple types.

use ruff_python_ast::{Expr, ExprName};
use ruff_text_size::{Ranged, TextSize};

use super::*;
use crate::analysis::checker::Checker;

/// The kinds of every binding of `name`, in binding order, over all scopes.
fn kinds(model: &SemanticModel, name: &str) -> Vec<String> {
    model
        .bindings()
        .filter(|(_, b)| b.name == name)
        .map(|(_, b)| {
            let kind = format!("{:?}", b.kind);
            kind.split(['(', ' ', '{']).next().unwrap_or_default().to_string()
        })
        .collect()
}

fn kind_of(src: &str, name: &str) -> Vec<String> {
    Checker::with_model(src, |model| kinds(model, name))
}

/// The `Name` loads of `name`, in walk order.
fn loads<'m, 'a>(model: &'m SemanticModel<'a>, name: &'m str) -> impl Iterator<Item = &'a ExprName> + 'm {
    model.nodes.iter().filter_map(move |(_, node)| match node {
        NodeRef::Expr(Expr::Name(n)) if n.id.as_str() == name && n.ctx.is_load() => Some(n),
        _ => None,
    })
}

/// What the last load of `name` resolves to: the bound value's source text, or the kind.
fn last_load_sees(src: &str, name: &str) -> Option<String> {
    Checker::with_model(src, |model| {
        let load = loads(model, name).max_by_key(|n| n.start())?;
        let binding = model.binding(model.resolve_name(load)?);
        Some(match binding.value {
            Some(value) => src[value.range()].to_string(),
            None => format!("{:?}", binding.kind).split(['(', ' ']).next().unwrap_or_default().to_string(),
        })
    })
}

fn qualified_of_last(src: &str, expr_text: &str) -> Option<String> {
    Checker::with_model(src, |model| {
        let (_, node) = model
            .nodes
            .iter()
            .filter(|(_, n)| matches!(n, NodeRef::Expr(_)) && &src[n.range()] == expr_text)
            .max_by_key(|(_, n)| n.start())?;
        model.resolve_qualified_name(node.as_expr()?).map(|q| q.to_string())
    })
}

#[test]
fn every_way_of_binding_a_name() {
    assert_eq!(kind_of("import a.b.c\n", "a"), ["SubmoduleImport"]);
    assert_eq!(kind_of("import a.b as c\n", "c"), ["Import"]);
    assert_eq!(kind_of("from x.y import z as w\n", "w"), ["FromImport"]);
    assert_eq!(kind_of("x = 1\n", "x"), ["Assignment"]);
    assert_eq!(kind_of("a, (b, *c) = t\n", "c"), ["Assignment"]);
    assert_eq!(kind_of("x: int = 1\n", "x"), ["AnnotatedAssignment"]);
    assert_eq!(kind_of("def f():\n    y: int\n", "y"), ["Annotation"]);
    assert_eq!(kind_of("n = 0\nn += 1\n", "n"), ["Assignment", "AugmentedAssignment"]);
    assert_eq!(kind_of("for i in r:\n    pass\n", "i"), ["LoopVar"]);
    assert_eq!(kind_of("with f() as h, g() as (p, q):\n    pass\n", "h"), ["WithItemVar"]);
    assert_eq!(kind_of("if (w := 5):\n    pass\n", "w"), ["NamedExpr"]);
    assert_eq!(kind_of("[c for c in s]\n", "c"), ["ComprehensionVar"]);
    let patterns = "match v:\n    case [first, *rest]:\n        pass\n    case {'k': kv, **others}:\n        pass\n    case P() as cap:\n        pass\n";
    for name in ["first", "rest", "kv", "others", "cap"] {
        assert_eq!(kind_of(patterns, name), ["MatchCapture"], "{name}");
    }
    assert_eq!(kind_of("try:\n    pass\nexcept E as err:\n    pass\n", "err"), ["ExceptHandler"]);
    for name in ["p", "args", "k", "kw"] {
        assert_eq!(kind_of("def f(p, *args, k=1, **kw):\n    pass\n", name), ["Parameter"], "{name}");
    }
    assert_eq!(kind_of("lambda q: q\n", "q"), ["Parameter"]);
    assert_eq!(kind_of("def f():\n    pass\n", "f"), ["FunctionDef"]);
    assert_eq!(kind_of("class C:\n    pass\n", "C"), ["ClassDef"]);
    assert_eq!(kind_of("type Alias = int\n", "Alias"), ["TypeAlias"]);
    assert_eq!(kind_of("def g[T](x: T) -> T:\n    return x\n", "T"), ["TypeParam"]);
    assert_eq!(kind_of("x = 1\ndel x\n", "x"), ["Assignment", "Deletion"]);
}

#[test]
fn binding_facts() {
    Checker::with_model("a, b = pair\nc = d = []\nwith open(p) as f:\n    pass\n", |model| {
        let get = |name: &str| model.bindings().find(|(_, b)| b.name == name).map(|(_, b)| b.clone()).unwrap();
        assert!(get("a").is_unpacked() && get("a").value.is_none());
        assert!(!get("c").is_unpacked());
        assert!(matches!(get("c").value, Some(Expr::List(_))));
        assert!(matches!(get("d").value, Some(Expr::List(_))));
        assert!(matches!(get("f").value, Some(Expr::Call(_))));
        assert!(get("f").source.is_some() && get("f").node.is_some());
    });
}

#[test]
fn rebinding_makes_a_new_binding_and_keeps_the_chain() {
    let src = "x = []\nprint(x)\nx = ''\nprint(x)\n";
    Checker::with_model(src, |model| {
        let chain: Vec<_> = model.bindings_of(ScopeId::MODULE, "x").collect();
        assert_eq!(chain.len(), 2);
        assert!(matches!(model.binding(chain[0]).value, Some(Expr::StringLiteral(_))));
        assert_eq!(model.binding(chain[0]).shadowed, Some(chain[1]));
        let reads: Vec<_> = loads(model, "x").map(|n| model.resolve_name(n).unwrap()).collect();
        assert_eq!(reads, [chain[1], chain[0]], "each read sees the binding live at that point");
        assert_eq!(model.references(chain[1]).count(), 1);
    });
}

#[test]
fn resolution_follows_python_scoping() {
    // Function bodies see the module's final bindings (they run later).
    assert_eq!(last_load_sees("def f():\n    return x\nx = 1\nx = 2\n", "x").as_deref(), Some("2"));
    // A class body's names are not visible in its methods...
    assert_eq!(
        last_load_sees("y = 'm'\nclass C:\n    y = 'c'\n    def f(self):\n        return y\n", "y").as_deref(),
        Some("'m'")
    );
    // ...but are in the class body itself.
    assert_eq!(last_load_sees("y = 'm'\nclass C:\n    y = 'c'\n    z = y\n", "y").as_deref(), Some("'c'"));
    // Nor in a comprehension in the class body (except its first iterable).
    assert_eq!(last_load_sees("y = 'm'\nclass C:\n    y = 'c'\n    z = [y for _ in r]\n", "y").as_deref(), Some("'m'"));
    // Enclosing functions.
    assert_eq!(
        last_load_sees("def f():\n    v = 'outer'\n    def g():\n        return v\n", "v").as_deref(),
        Some("'outer'")
    );
    // `global` and `nonlocal` send bindings and reads elsewhere.
    let src = "g = 'm'\ndef f():\n    global g\n    g = 'f'\ndef h():\n    return g\n";
    assert_eq!(last_load_sees(src, "g").as_deref(), Some("'f'"));
    Checker::with_model(src, |model| {
        let (_, b) = model.bindings().find(|(_, b)| b.name == "g" && b.flags.contains(BindingFlags::GLOBAL)).unwrap();
        assert_eq!(b.scope, ScopeId::MODULE);
        assert_ne!(b.bound_in, ScopeId::MODULE);
    });
    let src = "def f():\n    n = 0\n    def inc():\n        nonlocal n\n        n = 1\n    return n\n";
    Checker::with_model(src, |model| {
        let (_, b) = model.bindings().find(|(_, b)| b.flags.contains(BindingFlags::NONLOCAL)).unwrap();
        let outer = model.bindings().find(|(_, b)| b.name == "n").unwrap().1.scope;
        assert_eq!(b.scope, outer, "the nonlocal binding lives in the enclosing function");
    });
    // A walrus in a comprehension binds in the enclosing scope.
    Checker::with_model("[y := v for v in r]\n", |model| {
        let (_, b) = model.bindings().find(|(_, b)| b.name == "y").unwrap();
        assert_eq!(b.scope, ScopeId::MODULE);
    });
    // `del` unbinds; an `except ... as e` name is gone after the handler.
    assert_eq!(last_load_sees("x = 1\ndel x\nprint(x)\n", "x"), None);
    assert_eq!(
        last_load_sees("e = 'before'\ntry:\n    pass\nexcept E as e:\n    pass\nprint(e)\n", "e").as_deref(),
        Some("'before'")
    );
    // A bare annotation does not unbind an earlier value.
    assert_eq!(last_load_sees("x = 1\nx: int\nprint(x)\n", "x").as_deref(), Some("1"));
}

#[test]
fn qualified_names() {
    assert_eq!(qualified_of_last("import time as t\nt.sleep(1)\n", "t.sleep").as_deref(), Some("time.sleep"));
    assert_eq!(qualified_of_last("import os.path\nos.path.join(a)\n", "os.path.join").as_deref(), Some("os.path.join"));
    assert_eq!(qualified_of_last("from os import path\npath.join(a)\n", "path.join").as_deref(), Some("os.path.join"));
    assert_eq!(qualified_of_last("from . import m\nm.f()\n", "m.f").as_deref(), Some(".m.f"));
    assert_eq!(qualified_of_last("open(p)\n", "open").as_deref(), Some("builtins.open"));
    assert_eq!(qualified_of_last("dict.fromkeys(k)\n", "dict.fromkeys").as_deref(), Some("builtins.dict.fromkeys"));
    // Shadowed: a local def, a parameter, a `case` capture.
    assert_eq!(qualified_of_last("def open(p): pass\nopen(p)\n", "open"), None);
    assert_eq!(qualified_of_last("def f(open):\n    open(p)\n", "open"), None);
    let src = "from time import sleep\nasync def f(x):\n    match x:\n        case sleep:\n            sleep(1)\n";
    assert_eq!(qualified_of_last(src, "sleep"), None);
    assert_eq!(
        qualified_of_last("from time import sleep\nasync def f():\n    sleep(1)\n", "sleep").as_deref(),
        Some("time.sleep")
    );
}

/// The uses of every read of the first binding of `name`.
fn uses(src: &str, name: &str) -> Vec<String> {
    Checker::with_model(src, |model| {
        let (id, _) = model.bindings().find(|(_, b)| b.name == name).unwrap();
        model
            .references(id)
            .map(|r| format!("{:?}", model.use_of(r)).split(['(', ' ', '{']).next().unwrap_or_default().to_string())
            .collect()
    })
}

#[test]
fn uses_of_a_read() {
    let src = "x = []\nx.append(1)\nx.count\nx.a = 1\nx[0]\nx[0] = 1\nx()\nf(x)\nf(*x)\ny = x\nfor _ in x:\n    pass\nwith x:\n    pass\n(z := x)\nx < 1\nx += [2]\n";
    assert_eq!(
        uses(src, "x"),
        [
            "MethodCall",
            "AttributeLoad",
            "AttributeStore",
            "SubscriptLoad",
            "SubscriptStore",
            "Called",
            "Argument",
            "Argument",
            "Stored",
            "Iterated",
            "WithItem",
            "Stored",
            "Read",
            "AugmentedAssignment"
        ]
    );
    assert_eq!(uses("def f(x):\n    return x, 1\n", "x"), ["Returned"]);
    assert_eq!(uses("def f(x):\n    yield x\n", "x"), ["Yielded"]);
    assert_eq!(uses("def f(x):\n    raise x\n", "x"), ["Raised"]);
    assert_eq!(uses("x = 1\nd[k] = x\nself.a = [x]\n", "x"), ["Stored", "Stored"]);
    assert_eq!(uses("x = 1\nfor y in (x, 2):\n    pass\n", "x"), ["Stored"]);
    assert_eq!(uses("x = 1\nreturn_value = a if x else b\n", "x"), ["Read"]);
    // Unpacking into a new display copies the items.
    assert_eq!(uses("x = {}\nself.a = {**x, 'k': 1}\nself.b = [*x]\n", "x"), ["Unpacked", "Unpacked"]);
}

#[test]
fn mutation_escape_and_read_after() {
    let with_binding = |src: &str, f: &dyn Fn(&SemanticModel, BindingId)| {
        Checker::with_model(src, |model| {
            let (id, _) = model.bindings().find(|(_, b)| b.name == "x").unwrap();
            f(model, id);
        })
    };
    with_binding("x = []\nx.append(1)\n", &|m, b| assert!(m.first_mutation(b, false).is_some()));
    with_binding("x = []\nx.count(1)\n", &|m, b| {
        assert!(m.first_mutation(b, false).is_none());
        assert!(m.first_mutation(b, true).is_some(), "any method, when the type is unknown");
    });
    with_binding("x = {}\nx['k'] = 1\n", &|m, b| assert!(m.first_mutation(b, false).is_some()));
    with_binding("x = []\nlen(x)\nsorted(x)\nfor i in x:\n    print(i)\n", &|m, b| {
        assert!(m.first_mutation(b, false).is_none());
        assert!(m.first_escape(b).is_none(), "read-only builtins and iteration do not leak it");
    });
    with_binding("def f():\n    x = []\n    g(x)\n", &|m, b| {
        assert!(matches!(m.first_escape(b), Some((_, Escape::Via(Use::Argument { .. })))));
    });
    with_binding("def f():\n    x = []\n    return lambda: x\n", &|m, b| {
        assert!(matches!(m.first_escape(b), Some((_, Escape::Captured))));
    });
    with_binding("x = 1\nprint(x)\ny = 2\n", &|m, b| {
        let print_end = TextSize::from(14);
        assert!(m.is_read_after(b, TextSize::from(0)));
        assert!(!m.is_read_after(b, print_end));
    });
}

#[test]
fn simple_types() {
    let type_of_last = |src: &str, name: &str| {
        Checker::with_model(src, |model| {
            loads(model, name).max_by_key(|n| n.start()).and_then(|n| model.type_of_name(n))
        })
    };
    assert_eq!(type_of_last("x = []\nx\n", "x"), Some(SimpleType::List));
    assert_eq!(type_of_last("x = dict()\nx\n", "x"), Some(SimpleType::Dict));
    assert_eq!(type_of_last("x = True\nx\n", "x"), Some(SimpleType::Bool));
    assert_eq!(type_of_last("x = a is b\nx\n", "x"), Some(SimpleType::Bool));
    assert_eq!(type_of_last("x = isinstance(a, B)\nx\n", "x"), Some(SimpleType::Bool));
    assert_eq!(type_of_last("def f(flag: bool):\n    flag\n", "flag"), Some(SimpleType::Bool));
    // `==` on unknown objects may return anything (NumPy arrays, SQLAlchemy clauses).
    assert_eq!(type_of_last("x = a == b\nx\n", "x"), None);
    assert_eq!(type_of_last("x = len(a) == 0\nx\n", "x"), Some(SimpleType::Bool));
    // Bindings that disagree: no answer.
    assert_eq!(type_of_last("x = True\nfor i in r:\n    x\n    x = obj\n", "x"), None);
    // Shadowed builtin constructor.
    assert_eq!(type_of_last("def list(): pass\nx = list()\nx\n", "x"), None);
    // Pathological self-reference stays bounded.
    let mut src = String::new();
    for _ in 0..50 {
        src.push_str("x = x == 1 or x\n");
    }
    src.push_str("x\n");
    assert_eq!(type_of_last(&src, "x"), None);
}

#[test]
fn nodes_know_their_parents_and_suites() {
    Checker::with_model("def f():\n    if a:\n        b = 1\n        c = 2\n", |model| {
        let (id, _) = model.nodes.iter().find(|(_, n)| matches!(n, NodeRef::Stmt(s) if s.is_assign_stmt())).unwrap();
        let (suite, index) = model.suite_of(id).unwrap();
        assert_eq!((suite.len(), index), (2, 0));
        let kinds: Vec<bool> = model.ancestors(id).map(|n| matches!(n, NodeRef::Stmt(_))).collect();
        assert_eq!(kinds, [true, true], "if, def");
        let NodeRef::Stmt(stmt) = model.node(id) else { panic!() };
        assert_eq!(model.stmt_id(stmt), Some(id));
    });
}

/// The value each binding of `name` gets, through tuple-to-tuple unpacking too.
fn assigned_values(src: &str, name: &str) -> Vec<Option<String>> {
    Checker::with_model(src, |model| {
        model
            .bindings()
            .filter(|(_, b)| b.name == name)
            .map(|(id, _)| model.assigned_value(id).map(|v| src[v.range()].to_string()))
            .collect()
    })
}

#[test]
fn assigned_values_follow_tuple_to_tuple_unpacking() {
    assert_eq!(
        assigned_values("x = [1]\nx: list = []\n(x := 3)\n", "x"),
        [Some("[1]".into()), Some("[]".into()), Some("3".into())]
    );
    assert_eq!(assigned_values("a, x, b = None, 0, []\n", "x"), [Some("0".into())]);
    assert_eq!(assigned_values("(a, (x, y)) = 1, (2, 3)\n", "x"), [None]);
    // Other unpacking, starred targets, lengths that differ, other kinds.
    assert_eq!(
        assigned_values("a, x = pair\nx, *a = 1, 2\nx, a = 1, 2, 3\nfor x in y: pass\nx += 1\n", "x"),
        [None, None, None, None, None]
    );
}
