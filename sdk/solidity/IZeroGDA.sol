// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.20;

/// @title ZeroG data availability from the EVM
/// @notice The DA pallet (`pallet-da-attestations`) as a precompile at
/// `0x0000000000000000000000000000000008010000`. Rollup contracts check that a blob is
/// certified (`isCertified`) before they accept a batch that refers to it. A call acts as its
/// caller, which pays the submission fee in the chain's native unit. Not payable; state
/// changes revert in `staticcall` and `delegatecall`.
/// @dev A pallet error reverts with `Error(string)` naming it, e.g. `"BlobAlreadySubmitted"`;
/// `"StateChangeDenied"`, `"PrecompileDelegateDenied"` and `"NotPayable"` come from the
/// precompile itself.
interface IZeroGDA {
    /// @notice Where a blob stands.
    enum BlobStatus {
        /// Not on chain (never submitted, or expired and gone).
        Unknown,
        /// Submitted; its quorum has not certified it yet.
        Pending,
        /// Certified: two thirds of its quorum's stake hold their shards.
        Certified
    }

    /// @notice A blob on chain.
    struct BlobInfo {
        BlobStatus status;
        /// The blob's id.
        uint64 id;
        /// Its size before padding, in bytes.
        uint32 sizeBytes;
        /// Data and parity shards of its erasure coding.
        uint16 dataShards;
        uint16 parityShards;
        /// The rollup's namespace.
        uint32 namespace;
        /// The epoch and quorum that attest to it.
        uint32 epoch;
        uint32 quorum;
        /// The block that included it, and the one that certified it (0 while pending).
        uint32 submittedAt;
        uint32 certifiedAt;
    }

    /// @notice A blob commitment was submitted.
    event BlobSubmitted(uint64 indexed blobId, bytes32 indexed root, address indexed submitter, uint32 namespace);

    /// @notice Submits the commitment of a blob whose shards its quorum holds (staged with
    /// `zerog da submit` or the SDK); the quorum certifies it within its window.
    /// @return blobId The blob's id.
    function submitBlob(bytes32 root, uint32 sizeBytes, uint16 dataShards, uint16 parityShards, uint32 namespace)
        external
        returns (uint64 blobId);

    /// @notice The blob with this commitment (status `Unknown` and zeroes if none). The root
    /// binds the size and coding, so only the real shape of a root can ever be certified.
    function blobInfo(bytes32 root, uint32 sizeBytes, uint16 dataShards, uint16 parityShards)
        external
        view
        returns (BlobInfo memory);

    /// @notice Whether a blob committed with `root` is certified and still retained. Looks at
    /// no more than 16 submissions of the root (other sizes or codings, which can never be
    /// certified, only cost their submitter a fee); `blobInfo` checks one shape exactly.
    function isCertified(bytes32 root) external view returns (bool);
}
