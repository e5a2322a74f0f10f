import { type ReactNode, useId, useRef } from "react";
import { useModalDialog } from "./dialogs";
import "./modal.css";

interface ModalProps {
  title: string;
  children: ReactNode;
  onClose: () => void;
  /** Extra class for the dialog (a wider one, say). */
  className?: string;
  /** Rendered under the body, right-aligned. */
  actions?: ReactNode;
}

/**
 * A modal dialog on the native `<dialog>`: the page behind is inert, Escape closes it, focus
 * returns to the opener afterwards. Mount it only while it is open.
 */
export function Modal({ title, children, onClose, className, actions }: ModalProps) {
  const ref = useRef<HTMLDialogElement>(null);
  const titleId = useId();

  useModalDialog(ref);

  return (
    <dialog
      ref={ref}
      className={className ? `dialog ${className}` : "dialog"}
      aria-labelledby={titleId}
      onClose={onClose}
      onCancel={(event) => {
        event.preventDefault();
        onClose();
      }}
    >
      <h2 id={titleId}>{title}</h2>
      {children}
      {actions && <div className="dialog__actions">{actions}</div>}
    </dialog>
  );
}

/** A question before something that cannot be undone; focus starts on Cancel. */
export function ConfirmModal({
  title,
  children,
  confirmLabel,
  onConfirm,
  onCancel,
  busy = false,
}: {
  title: string;
  children: ReactNode;
  confirmLabel: string;
  onConfirm: () => void;
  onCancel: () => void;
  busy?: boolean;
}) {
  return (
    <Modal
      title={title}
      onClose={onCancel}
      actions={
        <>
          <button type="button" className="button" onClick={onCancel} autoFocus>
            Cancel
          </button>
          <button type="button" className="button button--danger" onClick={onConfirm} disabled={busy}>
            {confirmLabel}
          </button>
        </>
      }
    >
      <div className="dialog__body">{children}</div>
    </Modal>
  );
}
