import { useState, type FormEvent } from "react";
import { Link, useNavigate } from "react-router";
import { fieldErrorsOf } from "../api/errors";
import { ApiError } from "../api/errors";
import { AuthLayout } from "../shared/AuthLayout";
import { FolderPicker } from "../shared/FolderPicker";
import { FormAlert } from "../shared/FormAlert";
import {
  CLASSIFIERS,
  classifierLabel,
  createLibraryErrorMessage,
  useCreateLibrary,
  useInstalledClassifiers,
  useLibraries,
} from "../shared/libraries";
import { ROUTES } from "../shared/routes";
import { useSession } from "../shared/session";
import { TextField } from "../shared/TextField";

type Step = "folders" | "classifiers";

const STEPS: { key: Step | "account"; label: string }[] = [
  { key: "account", label: "Administrator" },
  { key: "folders", label: "Your photos" },
  { key: "classifiers", label: "What to recognise" },
];

function Steps({ current }: { current: Step }) {
  const at = STEPS.findIndex((step) => step.key === current);
  return (
    <ol className="steps" aria-label="Setup steps">
      {STEPS.map((step, index) => (
        <li
          key={step.key}
          className={index < at ? "steps__item steps__item--done" : index === at ? "steps__item steps__item--current" : "steps__item"}
          aria-current={index === at ? "step" : undefined}
        >
          <span className="steps__number" aria-hidden="true">
            {index < at ? "✓" : index + 1}
          </span>
          {step.label}
          {index < at && <span className="visually-hidden"> (done)</span>}
        </li>
      ))}
    </ol>
  );
}

/**
 * First run, after the administrator account: add the first library (folders on the server,
 * picked by browsing them) and choose which classifiers run on it before its first scan starts.
 */
export function WelcomePage() {
  const { data: session } = useSession();
  const navigate = useNavigate();
  const libraries = useLibraries();
  const installed = useInstalledClassifiers();
  const create = useCreateLibrary();
  const [step, setStep] = useState<Step>("folders");
  const [name, setName] = useState("Photos");
  const [folders, setFolders] = useState<string[]>([]);
  const [watched, setWatched] = useState(true);
  const [off, setOff] = useState<ReadonlySet<string>>(new Set());
  const [stepError, setStepError] = useState<string>();

  if (!session?.user) return null;
  if (!session.user.is_admin) {
    return (
      <AuthLayout title="Welcome to Photonix">
        <p>An administrator adds the libraries of photos. Ask yours to share one with you.</p>
        <Link className="button button--primary" to={ROUTES.home}>
          Go to the photos
        </Link>
      </AuthLayout>
    );
  }

  const existing = libraries.data?.length ?? 0;
  const classifierNames = installed.data?.map((c) => c.name) ?? Object.keys(CLASSIFIERS);

  function next(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    if (!name.trim()) {
      setStepError("Give the library a name.");
      return;
    }
    if (folders.length === 0) {
      setStepError("Add at least one folder: open it in the list, then choose “Add this folder”.");
      return;
    }
    setStepError(undefined);
    setStep("classifiers");
  }

  function start(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    create.mutate(
      {
        name: name.trim(),
        folders,
        watched,
        classifiers: classifierNames.map((classifier) => ({ name: classifier, enabled: !off.has(classifier) })),
      },
      {
        onSuccess: () => void navigate(ROUTES.home, { replace: true }),
        onError: (error) => {
          // A folder problem (taken meanwhile, gone, unreadable) is fixed on the first step.
          if (error instanceof ApiError && error.status === 400 && !fieldErrorsOf(error.body).classifiers) {
            setStep("folders");
          }
        },
      },
    );
  }

  return (
    <AuthLayout
      wide
      title="Set up your first library"
      intro={
        <>
          <Steps current={step} />
          {existing > 0 && (
            <p className="muted">
              You already have {existing} {existing === 1 ? "library" : "libraries"}; this adds another one.
            </p>
          )}
        </>
      }
    >
      {create.isError && <FormAlert>{createLibraryErrorMessage(create.error)}</FormAlert>}
      {step === "folders" ? (
        <form className="form" onSubmit={next} noValidate aria-label="Your photos">
          <p>
            Photonix imports photos from folders on this server and never changes them. Choose the folders that hold
            yours.
          </p>
          {stepError && <FormAlert>{stepError}</FormAlert>}
          <TextField id="welcome-name" label="Library name" required value={name} onChange={setName} />
          <FolderPicker
            idPrefix="welcome-folders"
            chosen={folders}
            onChoose={(path) => {
              setFolders((current) => (current.includes(path) ? current : [...current, path]));
              setStepError(undefined);
            }}
          />
          <div className="chosen-folders">
            <p className="folder-picker__title">Folders of this library</p>
            {folders.length === 0 ? (
              <p className="muted">None yet.</p>
            ) : (
              <ul aria-label="Folders of this library">
                {folders.map((folder) => (
                  <li key={folder}>
                    <code>{folder}</code>{" "}
                    <button
                      type="button"
                      className="link-button"
                      aria-label={`Remove ${folder}`}
                      onClick={() => setFolders((current) => current.filter((f) => f !== folder))}
                    >
                      Remove
                    </button>
                  </li>
                ))}
              </ul>
            )}
          </div>
          <label className="switch">
            <input type="checkbox" checked={watched} onChange={(e) => setWatched(e.target.checked)} />
            <span>Watch these folders and import new photos as they arrive</span>
          </label>
          <div className="form__actions">
            <Link to={ROUTES.home} className="link-button">
              Skip for now
            </Link>
            <button type="submit" className="button button--primary">
              Next
            </button>
          </div>
        </form>
      ) : (
        <form className="form" onSubmit={start} noValidate aria-label="What to recognise">
          <p>
            Photonix can tag every photo so you can find it by what it shows. Everything runs on this server; you can
            change these later in Settings.
          </p>
          <fieldset className="switches switches--described">
            <legend>Classifiers</legend>
            {classifierNames.map((classifier) => (
              <label key={classifier} className="switch">
                <input
                  type="checkbox"
                  role="switch"
                  checked={!off.has(classifier)}
                  onChange={(event) =>
                    setOff((current) => {
                      const changed = new Set(current);
                      if (event.target.checked) changed.delete(classifier);
                      else changed.add(classifier);
                      return changed;
                    })
                  }
                />
                <span>
                  <strong>{classifierLabel(classifier)}</strong>
                  {CLASSIFIERS[classifier] && <span className="muted"> — {CLASSIFIERS[classifier].description}</span>}
                </span>
              </label>
            ))}
          </fieldset>
          <div className="form__actions">
            <button type="button" className="button" onClick={() => setStep("folders")}>
              Back
            </button>
            <button type="submit" className="button button--primary" disabled={create.isPending}>
              {create.isPending ? "Adding the library…" : "Start importing"}
            </button>
          </div>
        </form>
      )}
    </AuthLayout>
  );
}
