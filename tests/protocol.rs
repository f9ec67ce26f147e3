//! The worker protocol, natively: requests and answers survive their serialization, and
//! the service answers with the request's id.

use kubeplay::engine::SourceFile;
use kubeplay::protocol::{decode_response, encode_request, EngineService, FromWorker, ToWorker};

#[test]
fn apply_round_trip_through_the_real_serialization() {
    let mut service = EngineService::default();
    let request = ToWorker::Apply {
        id: 7,
        seed: 1,
        files: vec![SourceFile {
            name: "seed.yaml".into(),
            text: kubeplay::SEED_EXAMPLE.into(),
        }],
    };
    let answer =
        decode_response(&service.handle_text(&encode_request(&request))).expect("valid answer");
    let FromWorker::Applied {
        id,
        objects,
        diagnostics,
        ..
    } = answer
    else {
        panic!("expected Applied, got {answer:?}")
    };
    assert_eq!(id, 7);
    assert!(diagnostics.is_empty());
    let names: Vec<String> = objects
        .iter()
        .map(|o| format!("{}/{}", o.kind, o.name))
        .collect();
    assert_eq!(
        names,
        ["Service/httpd-deployment", "Deployment/httpd-deployment"]
    );
}

#[test]
fn garbage_requests_get_a_failed_answer_not_a_panic() {
    let mut service = EngineService::default();
    let answer = decode_response(&service.handle_text("{not json")).expect("valid answer");
    assert!(
        matches!(answer, FromWorker::Failed { id: None, .. }),
        "{answer:?}"
    );
}

#[test]
fn ready_handshake_names_the_protocol_version() {
    assert!(matches!(
        EngineService::ready(),
        FromWorker::Ready {
            protocol: kubeplay::protocol::PROTOCOL_VERSION,
            ..
        }
    ));
}

#[test]
fn commands_run_against_the_applied_cluster() {
    let mut service = EngineService::default();
    let before = service.handle(ToWorker::Command {
        id: 1,
        line: "kubectl get nodes".into(),
        lang: String::new(),
    });
    assert!(
        matches!(before, FromWorker::Failed { id: Some(1), .. }),
        "{before:?}"
    );
    service.handle(ToWorker::Apply {
        id: 2,
        seed: 1,
        files: vec![SourceFile {
            name: "seed.yaml".into(),
            text: kubeplay::SEED_EXAMPLE.into(),
        }],
    });
    let answer = service.handle(ToWorker::Command {
        id: 3,
        line: "kubectl get deploy".into(),
        lang: String::new(),
    });
    let FromWorker::Output { id: 3, text } = answer else {
        panic!("expected Output, got {answer:?}")
    };
    assert!(text.contains("httpd-deployment   3/3"), "{text}");
}

#[test]
fn simulation_notes_name_what_is_simulated() {
    let mut service = EngineService::default();
    let manifest = "apiVersion: v1\nkind: Service\nmetadata: {name: lb}\nspec: {type: LoadBalancer, ports: [{port: 80}]}\n---\napiVersion: kubeproxy.config.k8s.io/v1alpha1\nkind: KubeProxyConfiguration\nmode: userspace\n";
    let answer = service.handle(ToWorker::Apply {
        id: 1,
        seed: 1,
        files: vec![SourceFile {
            name: "m.yaml".into(),
            text: manifest.into(),
        }],
    });
    let FromWorker::Applied { notes, .. } = answer else {
        panic!("{answer:?}")
    };
    assert_eq!(notes.len(), 3, "{notes:?}");
    assert!(notes[0].contains("simulated load balancer"));
    assert!(notes[1].contains("removed this mode in 1.26"));
    assert!(notes[2].contains("DNS outside the cluster is simulated"));
}

#[test]
fn the_gallery_lists_lessons_opens_one_and_checks_it() {
    use kubeplay::protocol::{FromWorker, ToWorker};
    let mut service = EngineService::default();
    let FromWorker::Gallery { lessons, .. } = service.handle(ToWorker::Gallery {
        id: 1,
        lang: String::new(),
    }) else {
        panic!()
    };
    assert!(lessons.len() >= 6, "{lessons:?}");
    assert!(lessons
        .iter()
        .any(|(n, t)| n == "emptydir.scenario.yaml" && t.starts_with("emptyDir")));
    // In Chinese, where the scenario has it.
    let FromWorker::Gallery { lessons, .. } = service.handle(ToWorker::Gallery {
        id: 5,
        lang: "zh".into(),
    }) else {
        panic!()
    };
    assert!(
        lessons
            .iter()
            .any(|(n, t)| n == "emptydir.scenario.yaml" && t.contains("共享")),
        "{lessons:?}"
    );
    let FromWorker::Lesson { text, steps, .. } = service.handle(ToWorker::Lesson {
        id: 2,
        name: "seed.scenario.yaml".into(),
        lang: String::new(),
        custom: None,
    }) else {
        panic!()
    };
    assert!(text.starts_with("# seed.yaml\n"), "{text}");
    assert!(
        text.contains("---\n# client.yaml\napiVersion: v1"),
        "{text}"
    );
    assert_eq!(steps[0].run, "kubectl get pods -l app=http -o wide");
    let FromWorker::Checked { steps, .. } = service.handle(ToWorker::Check {
        id: 3,
        name: "emptydir.scenario.yaml".into(),
        custom: None,
    }) else {
        panic!()
    };
    assert!(
        steps.iter().all(|s| s.checks.iter().all(|c| c.1)),
        "{steps:?}"
    );
    assert!(matches!(
        service.handle(ToWorker::Lesson {
            id: 4,
            name: "nope".into(),
            lang: String::new(),
            custom: None,
        }),
        FromWorker::Failed { id: Some(4), .. }
    ));
}

#[test]
fn view_queries_read_the_cluster_without_changing_it() {
    use kubeplay::protocol::{FromWorker, ToWorker};
    let mut service = seeded_service();
    let query = |service: &mut EngineService, line: &str| match service.handle(ToWorker::Query {
        id: 2,
        line: line.into(),
    }) {
        FromWorker::Answer { text, .. } => text,
        other => panic!("{other:?}"),
    };
    let first = query(&mut service, "kubectl get pods -A");
    let again = query(&mut service, "kubectl get pods -A");
    assert_eq!(first, again, "a view must not advance the clock");
    assert!(first.contains("httpd-deployment-"), "{first}");
    assert!(matches!(
        service.handle(ToWorker::Query {
            id: 3,
            line: "kubectl delete pods --all".into()
        }),
        FromWorker::Failed { id: Some(3), .. }
    ));
}

#[test]
fn the_timeline_replays_the_cluster_as_it_was_after_each_command() {
    use kubeplay::protocol::{FromWorker, ToWorker};
    let mut service = seeded_service();
    service.handle(ToWorker::Command {
        id: 2,
        line: "kubectl scale deploy/httpd-deployment --replicas=1".into(),
        lang: String::new(),
    });
    let at = |service: &mut EngineService, step: usize| match service.handle(ToWorker::QueryAt {
        id: 3,
        step,
        line: "kubectl get pods".into(),
    }) {
        FromWorker::Answer { text, line, .. } => {
            assert_eq!(line, format!("@{step} kubectl get pods"));
            text.matches("httpd-deployment-").count()
        }
        other => panic!("{other:?}"),
    };
    assert_eq!(at(&mut service, 0), 3);
    assert_eq!(at(&mut service, 1), 1);
    assert_eq!(at(&mut service, 0), 3);
}

#[test]
fn what_if_compares_the_current_cluster_with_other_manifests() {
    let mut service = seeded_service();
    let FromWorker::Compared { text, changed, .. } = service.handle(ToWorker::WhatIf {
        id: 2,
        files: vec![kubeplay::engine::SourceFile {
            name: "b.yaml".into(),
            text: kubeplay::SEED_EXAMPLE.replace("replicas: 3", "replicas: 1"),
        }],
        commands: vec![],
    }) else {
        panic!()
    };
    assert!(
        text.contains("~ Deployment default/httpd-deployment"),
        "{text}"
    );
    assert!(
        changed.contains(&"Pod/default/httpd-deployment-".to_string()),
        "{changed:?}"
    );
    // Marked on the diagram: the Deployment's pods and the Service's endpoints.
    let FromWorker::Answer { text: svg, .. } = service.handle(ToWorker::Query {
        id: 3,
        line: format!("diagram network -o svg --changed {}", changed.join(",")),
    }) else {
        panic!()
    };
    assert!(
        changed.contains(&"Service/default/httpd-deployment".to_string()),
        "{changed:?}"
    );
    assert_eq!(
        svg.matches("kp-d-changed\"").count(),
        4,
        "the Service (fewer endpoints) and the three pods"
    );
}

#[test]
fn a_scenario_from_a_link_opens_and_checks_like_a_gallery_lesson() {
    let text = "kubeplay: scenario/v1\ntitle: {en: Mine, zh: 我的}\nmanifests:\n  - file: app.yaml\nsteps:\n  - run: kubectl get deploy\n    say: {en: Three replicas., zh: 三个副本。}\n    expect:\n      - contains: 3/3\n  - run: kubectl get deploy\n    expect:\n      - contains: 9/9\n";
    let custom = Some(kubeplay::protocol::SharedScenario {
        text: text.into(),
        files: vec![kubeplay::engine::SourceFile {
            name: "app.yaml".into(),
            text: kubeplay::SEED_EXAMPLE.into(),
        }],
    });
    let mut service = kubeplay::protocol::EngineService::default();
    let FromWorker::Lesson {
        title,
        text: editor,
        steps,
        ..
    } = service.handle(ToWorker::Lesson {
        id: 1,
        name: "mine.scenario.yaml".into(),
        lang: "zh".into(),
        custom: custom.clone(),
    })
    else {
        panic!()
    };
    assert_eq!(title, "我的");
    assert!(editor.starts_with("# app.yaml\n"), "{editor}");
    assert_eq!(steps[0].say, "三个副本。");
    let FromWorker::Checked { steps, .. } = service.handle(ToWorker::Check {
        id: 2,
        name: "mine.scenario.yaml".into(),
        custom,
    }) else {
        panic!()
    };
    assert!(steps[0].checks[0].1, "{steps:?}");
    assert!(
        !steps[1].checks[0].1,
        "the failing expectation fails: {steps:?}"
    );
}

/// A service with the seed example applied (request id 1).
fn seeded_service() -> EngineService {
    let mut service = EngineService::default();
    service.handle(kubeplay::protocol::ToWorker::Apply {
        id: 1,
        seed: 1,
        files: vec![SourceFile {
            name: "m.yaml".into(),
            text: kubeplay::SEED_EXAMPLE.into(),
        }],
    });
    service
}
