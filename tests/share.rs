//! Share links: the codec round-trips any state, every link version ever produced keeps
//! opening (fixtures), and damaged, truncated, future or hostile links are refused with
//! a clear error before anything large is allocated.

use kubeplay::share::{self, decode, encode, ShareError, SharedState};

fn state(files: &[(&str, &str)], history: &[&str]) -> SharedState {
    SharedState {
        files: files
            .iter()
            .map(|(n, t)| (n.to_string(), t.to_string()))
            .collect(),
        history: history.iter().map(|h| h.to_string()).collect(),
        ..Default::default()
    }
}

#[test]
fn a_state_round_trips_through_a_link() {
    let s = SharedState {
        files: vec![
            ("app.yaml".into(), kubeplay::SEED_EXAMPLE.into()),
            (
                "storage.yaml".into(),
                "kind: PersistentVolume\n# 中文注释\n".into(),
            ),
        ],
        seed: Some(7),
        lesson: Some("static-pv.scenario.yaml".into()),
        step: Some(2),
        view: Some("network".into()),
        history: vec![
            "kubectl get pods".into(),
            "curl http://172.18.0.2:30080/".into(),
        ],
        lang: Some("zh".into()),
        scenario: Some("kubeplay: scenario/v1\nsteps: []\n".into()),
    };
    let link = encode(&s);
    assert!(link.starts_with("v1:"));
    assert!(link[3..]
        .bytes()
        .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_'));
    assert_eq!(decode(&link).unwrap(), s);
    assert_eq!(decode(&format!("#{link}")).unwrap(), s, "with the # too");
}

/// A small deterministic generator.
struct Lcg(u64);

impl Lcg {
    fn below(&mut self, n: u64) -> u64 {
        self.0 = self
            .0
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        (self.0 >> 33) % n.max(1)
    }

    fn text(&mut self) -> String {
        const PIECES: &[&str] = &[
            "apiVersion: ",
            "kind: ",
            "metadata:",
            "\n",
            "  ",
            "- name: ",
            "\0",
            "\u{1}",
            "\u{1f}",
            "\t",
            "\r\n",
            "é",
            "中",
            "🙂",
            "replicas: ",
            "ReadWriteOnce",
            "x",
            "\u{0}\u{0}",
            ":",
            "#",
        ];
        (0..self.below(40))
            .map(|_| PIECES[self.below(PIECES.len() as u64) as usize])
            .collect()
    }
}

#[test]
fn property_random_states_round_trip() {
    let mut rng = Lcg(11);
    for _ in 0..2_000 {
        let files = (0..rng.below(4))
            .map(|i| (format!("f{i}.yaml"), rng.text()))
            .collect();
        let s = SharedState {
            files,
            seed: (rng.below(2) == 0).then(|| rng.below(1000)),
            step: (rng.below(2) == 0).then(|| rng.below(50) as usize),
            history: (0..rng.below(3)).map(|_| rng.text()).collect(),
            ..Default::default()
        };
        assert_eq!(decode(&encode(&s)).unwrap(), s);
    }
}

#[test]
fn fixture_links_of_every_version_keep_opening() {
    // v1, made by `kubeplay link www/examples/seed.yaml -c 'kubectl get pods' -c 'curl …'`.
    let v1 = include_str!("fixtures/share-v1.txt").trim();
    let s = decode(v1).expect("the v1 fixture opens");
    assert_eq!(s.files.len(), 1);
    assert_eq!(s.files[0].0, "seed.yaml");
    assert!(s.files[0].1.contains("name: httpd-deployment"));
    assert_eq!(
        s.history,
        ["kubectl get pods", "curl http://172.18.0.2:30080/"]
    );
}

#[test]
fn damaged_truncated_and_future_links_are_refused_with_why() {
    let link = encode(&state(&[("a.yaml", kubeplay::SEED_EXAMPLE)], &[]));
    let cut = &link[..link.len() / 2];
    assert!(
        matches!(decode(cut), Err(ShareError::Corrupt(_))),
        "{:?}",
        decode(cut)
    );
    assert!(matches!(
        decode(&format!("{link}!")),
        Err(ShareError::Corrupt(_))
    ));
    assert_eq!(decode("hello"), Err(ShareError::NotALink));
    assert_eq!(decode(""), Err(ShareError::NotALink));
    assert_eq!(
        decode("v9:AAAA"),
        Err(ShareError::FromTheFuture("v9".into()))
    );
    let message = decode("v2:AAAA").unwrap_err().to_string();
    assert!(message.contains("newer kubeplay"), "{message}");
    // Flipping bytes in the middle never panics.
    for i in 3..link.len().min(200) {
        let mut bytes = link.clone().into_bytes();
        bytes[i] = if bytes[i] == b'A' { b'B' } else { b'A' };
        let _ = decode(std::str::from_utf8(&bytes).unwrap());
    }
}

#[test]
fn a_decompression_bomb_is_refused_before_it_expands() {
    // 16 MB of newlines deflates to a few KB; the link must not inflate it.
    let mut payload = b"{}\nbomb.yaml\n16777216\n".to_vec();
    payload.extend(std::iter::repeat_n(b'\n', 16 * 1024 * 1024));
    let bomb = format!(
        "v1:{}",
        share::base64url(&miniz_oxide::deflate::compress_to_vec(&payload, 10))
    );
    assert!(bomb.len() < 100_000);
    let err = decode(&bomb).unwrap_err().to_string();
    assert!(err.contains("expand past 4 MB"), "{err}");
    let long = format!("v1:{}", "A".repeat(share::MAX_LINK_CHARS));
    assert!(matches!(decode(&long), Err(ShareError::TooLong(_))));
}

#[test]
fn links_are_shorter_than_the_manifest() {
    for (name, text) in kubeplay::GALLERY
        .iter()
        .filter(|(n, _)| !n.ends_with(".scenario.yaml"))
    {
        let link = encode(&state(&[(name, text)], &[]));
        assert!(
            link.len() < text.len(),
            "{name}: link {} ≥ text {}",
            link.len(),
            text.len()
        );
    }
}
